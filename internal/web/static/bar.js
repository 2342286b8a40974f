// The message bar: typing "/" lists the bot's commands, then their
// options; an option with autocomplete asks the bot as Discord does (an
// autocomplete interaction), one with choices lists them. The line is
// the emulator's: "/quote story:1 author:marta_k" — a value runs until the
// next " name:" of the same command.

import { el } from './render.js';

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// parse reads text against the commands: the command it names, the
// options typed so far and where the cursor is.
//   stage 'none'    not a command line
//   stage 'command' still typing the command's name (prefix: what is typed)
//   stage 'options' between options (prefix: the word being typed)
//   stage 'value'   typing the value of current (prefix: its text so far)
export function parse(text, cursor, commands) {
  const out = { cmd: null, marks: [], stage: 'none', prefix: '', current: null };
  if (!text.startsWith('/')) return out;
  let cmd = null;
  for (const c of commands) {
    const n = '/' + c.name;
    if ((text === n || text.startsWith(n + ' ')) && (!cmd || c.name.length > cmd.name.length)) cmd = c;
  }
  const nameEnd = cmd ? cmd.name.length + 1 : -1;
  if (!cmd || cursor <= nameEnd) {
    out.stage = 'command';
    out.prefix = text.slice(1, Math.max(1, cursor)).toLowerCase();
    return out;
  }
  out.cmd = cmd;
  if (cmd.options.length) {
    const re = new RegExp(`\\s(${cmd.options.map(o => escapeRe(o.name)).join('|')}):`, 'g');
    for (const m of text.matchAll(re)) {
      const opt = cmd.options.find(o => o.name === m[1]);
      out.marks.push({ opt, start: m.index + 1, valueStart: m.index + m[0].length });
    }
  }
  for (let i = 0; i < out.marks.length; i++) {
    const next = out.marks[i + 1];
    out.marks[i].valueEnd = next ? next.start - 1 : text.length;
    out.marks[i].value = text.slice(out.marks[i].valueStart, out.marks[i].valueEnd).trim();
  }
  const mark = out.marks.find(m => m.valueStart <= cursor && cursor <= m.valueEnd);
  const before = text.slice(mark ? mark.valueStart : nameEnd, cursor);
  const word = before.match(/(\S*)$/)[1];
  // A value followed by a space is finished, as a choice leaves it; after
  // a space, a word that starts an option's name may be that option being
  // typed; anything else belongs to the value.
  const finished = /\s$/.test(before) && before.trim() !== '';
  const used = new Set(out.marks.map(m => m.opt.name));
  const startsOption = cmd.options.some(o => !used.has(o.name) && o.name.startsWith(word.toLowerCase()));
  if (mark && !finished && !(/\s/.test(before) && startsOption)) {
    out.stage = 'value';
    out.current = mark;
    out.prefix = before;
    return out;
  }
  out.stage = 'options';
  out.prefix = word;
  return out;
}

// CommandBar runs one bar; app gives it the channel, the user, the
// commands they may use, and where answers go.
export class CommandBar {
  constructor(form, app) {
    this.app = app;
    this.form = form;
    this.input = form.querySelector('input');
    this.popup = form.querySelector('.popup');
    this.hint = form.querySelector('.hint');
    this.items = [];
    this.active = -1;
    this.seq = 0;
    this.timer = 0;
    this.busy = false;
    this.input.addEventListener('input', () => this.update());
    this.input.addEventListener('click', () => this.update());
    this.input.addEventListener('focus', () => {
      this.update();
      // The bot may have registered (or changed) its commands since.
      this.app.refresh().then(() => { if (document.activeElement === this.input) this.update(); });
    });
    this.input.addEventListener('keydown', e => this.key(e));
    this.input.addEventListener('keyup', e => {
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') this.update();
    });
    this.input.addEventListener('blur', () => setTimeout(() => {
      if (document.activeElement !== this.input) this.close();
    }, 150));
    // Enter is handled on keydown; the form's own submit (which a
    // synthetic Enter can still cause) must not send a second time.
    form.addEventListener('submit', e => e.preventDefault());
  }

  setPlaceholder(text, enabled) {
    this.input.placeholder = text;
    this.input.disabled = !enabled;
    this.form.classList.toggle('disabled', !enabled);
  }

  key(e) {
    const open = !this.popup.hidden && this.items.length > 0;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        if (!open) return;
        e.preventDefault();
        this.highlight((this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.items.length) % this.items.length);
        return;
      case 'Tab':
        if (!open) return;
        e.preventDefault();
        this.apply(this.items[Math.max(this.active, 0)]);
        return;
      case 'Escape':
        this.close();
        return;
      case 'Enter':
        e.preventDefault();
        // While the bot is still finding choices, Enter would send what is
        // half typed; Discord waits too.
        if (open && this.items[0].kind === 'loading') return;
        if (open && this.active >= 0 && this.items[this.active].apply) {
          this.apply(this.items[this.active]);
        } else {
          this.send();
        }
    }
  }

  parsed() {
    return parse(this.input.value, this.input.selectionStart ?? this.input.value.length, this.app.commands());
  }

  update() {
    const p = this.parsed();
    this.showHint(p);
    clearTimeout(this.timer);
    switch (p.stage) {
      case 'command': {
        const cmds = this.app.commands();
        let found = cmds.filter(c => c.name.startsWith(p.prefix));
        if (!found.length) found = cmds.filter(c => c.name.includes(p.prefix));
        const title = cmds.length ? 'Commands' : 'The bot has registered no commands yet';
        this.show(title, found.map(c => ({
          kind: 'command', value: c.name, label: '/' + c.name, desc: c.description,
          apply: () => this.pickCommand(c),
        })), 0);
        return;
      }
      case 'options':
        this.show('Options', this.optionItems(p), -1);
        return;
      case 'value':
        this.valueItems(p);
        return;
      default:
        this.close();
    }
  }

  optionItems(p) {
    const used = new Set(p.marks.map(m => m.opt.name));
    return p.cmd.options.filter(o => !used.has(o.name) && o.name.startsWith(p.prefix.toLowerCase())).map(o => ({
      kind: 'option', value: o.name, label: o.name + (o.required ? '' : ' (optional)'), desc: o.description,
      apply: () => this.pickOption(p, o),
    }));
  }

  valueItems(p) {
    const opt = p.current.opt;
    const typed = p.prefix.trim();
    if (opt.choices && opt.choices.length) {
      const found = opt.choices.filter(c => c.name.toLowerCase().includes(typed.toLowerCase()));
      this.show(opt.name, found.map(c => this.choiceItem(p, c)), 0);
      return;
    }
    if (!opt.autocomplete) {
      this.close();
      return;
    }
    const line = this.input.value;
    if (this.answer && this.answer.line === line) {
      // Nothing was typed since the bot answered: keep its choices.
      this.show(opt.name, this.answer.items, this.answer.active);
      return;
    }
    const seq = ++this.seq;
    this.show(opt.name, [{ kind: 'loading', label: 'Loading options…' }], -1);
    // Ask once typing pauses, as Discord's client does.
    this.timer = setTimeout(async () => {
      const res = await this.app.interact({ type: 'autocomplete', focused: opt.name, command: line });
      if (seq !== this.seq) return;
      if (res.error) {
        this.show(opt.name, [{ kind: 'error', label: res.error }], -1);
        return;
      }
      let items = (res.choices || []).map(c => this.choiceItem(p, c));
      const active = items.length ? 0 : -1;
      if (!items.length) items = [{ kind: 'empty', label: 'No options match your search' }];
      this.answer = { line, items, active };
      this.show(opt.name, items, active);
    }, 120);
  }

  choiceItem(p, c) {
    return { kind: 'choice', value: String(c.value), label: c.name, apply: () => this.pickValue(p.current, c.value) };
  }

  show(title, items, active) {
    this.items = items;
    this.popup.replaceChildren(el('div', 'popup-title', title));
    items.forEach((it, i) => {
      const row = el('div', 'item ' + it.kind);
      row.dataset.kind = it.kind;
      if (it.value !== undefined) row.dataset.value = it.value;
      row.append(el('span', 'item-name', it.label));
      if (it.desc) row.append(el('span', 'item-desc', it.desc));
      if (it.apply) {
        row.addEventListener('mousedown', e => { e.preventDefault(); this.apply(it); });
        row.addEventListener('mousemove', () => this.highlight(i));
      }
      this.popup.append(row);
    });
    this.popup.hidden = items.length === 0;
    this.highlight(active);
  }

  highlight(i) {
    this.active = i;
    [...this.popup.querySelectorAll('.item')].forEach((row, j) => row.classList.toggle('active', j === i));
  }

  close() {
    this.popup.hidden = true;
    this.items = [];
    this.active = -1;
    this.seq++;
  }

  apply(it) {
    if (it && it.apply) it.apply();
  }

  setLine(text, cursor = text.length) {
    this.input.value = text;
    this.input.focus();
    this.input.setSelectionRange(cursor, cursor);
    this.update();
  }

  pickCommand(c) {
    let text = '/' + c.name + ' ';
    const first = c.options.find(o => o.required);
    if (first) text += first.name + ':';
    this.setLine(text);
  }

  pickOption(p, o) {
    const text = this.input.value;
    const cursor = this.input.selectionStart ?? text.length;
    const start = cursor - p.prefix.length;
    const lead = start > 0 && !/\s/.test(text[start - 1]) ? ' ' : '';
    const insert = lead + o.name + ':';
    this.setLine(text.slice(0, start) + insert + text.slice(cursor), start + insert.length);
  }

  pickValue(mark, value) {
    const text = this.input.value;
    const after = text.slice(mark.valueEnd).replace(/^\s*/, '');
    const head = text.slice(0, mark.valueStart) + String(value) + ' ';
    this.setLine(head + after, head.length);
  }

  showHint(p) {
    this.hint.replaceChildren();
    this.hint.hidden = !p.cmd;
    if (!p.cmd) return;
    this.hint.append(el('span', 'hint-cmd', '/' + p.cmd.name));
    const filled = new Map(p.marks.map(m => [m.opt.name, m.value]));
    for (const o of p.cmd.options) {
      const chip = el('span', 'chip', o.name + (filled.get(o.name) ? ': ' + filled.get(o.name) : ''));
      if (o.required) chip.classList.add('required');
      if (filled.get(o.name)) chip.classList.add('filled');
      if (p.current && p.current.opt === o) chip.classList.add('current');
      this.hint.append(chip);
    }
    const o = p.current ? p.current.opt : null;
    this.hint.append(el('span', 'hint-desc', o ? `${o.name}: ${o.description}` : p.cmd.description));
  }

  async send() {
    const text = this.input.value.trim();
    if (!text || this.busy) return;
    const p = parse(text, text.length, this.app.commands());
    if (!text.startsWith('/')) {
      this.app.notice('The playground runs the bot\'s slash commands: type / to see them.');
      return;
    }
    if (!p.cmd) {
      this.app.notice(`There is no command ${text.split(' ')[0]} — type / to see the bot's commands.`);
      return;
    }
    const missing = p.cmd.options.filter(o => o.required && !p.marks.some(m => m.opt === o && m.value));
    if (missing.length) {
      this.hint.append(el('span', 'hint-error', `${missing.map(o => o.name).join(', ')} is required`));
      return;
    }
    this.close();
    this.busy = true;
    this.form.classList.add('sending');
    const res = await this.app.interact({ type: 'command', command: text });
    this.busy = false;
    this.form.classList.remove('sending');
    if (res.error) {
      this.app.notice(res.error);
      return;
    }
    this.input.value = '';
    this.update();
    this.app.answered(res.messages || []);
  }
}
