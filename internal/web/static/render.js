// Drawing messages. Every string the server sends is text (textContent),
// except the fields it rendered from Discord markdown — html, title_html,
// name_html — which it made safe; nothing else goes into innerHTML.

import { stamp, timeOfDay, fullTime, refreshTimes } from './time.js';

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

// rendered wraps HTML that the server rendered with package discordmd.
function rendered(tag, cls, safeHTML) {
  const e = el(tag, cls);
  e.innerHTML = safeHTML;
  return e;
}

function link(href, cls, text) {
  const a = el('a', cls, text);
  a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer nofollow ugc';
  return a;
}

// avatar is a round initial, coloured per user, as Discord's default
// avatars are (the page loads no images).
export function avatar(user, small) {
  const a = el('div', small ? 'avatar small' : 'avatar', (user.name || '?').slice(0, 1).toUpperCase());
  const palette = ['#5865f2', '#3ba55c', '#faa61a', '#ed4245', '#eb459e', '#747f8d'];
  let h = 0;
  for (const c of user.id || '') h = (h * 31 + c.charCodeAt(0)) >>> 0;
  a.style.setProperty('--avatar', user.bot ? '#5865f2' : palette[h % palette.length]);
  a.setAttribute('aria-hidden', 'true');
  return a;
}

function authorName(user) {
  const f = document.createDocumentFragment();
  f.append(el('span', 'author', user.name));
  if (user.bot) f.append(el('span', 'bot-tag', 'APP'));
  return f;
}

// groups reports whether m continues prev's group: same author, close in
// time, and neither a reply nor a command answer.
export function groups(prev, m) {
  if (!prev || prev.author.id !== m.author.id || m.reply || m.command || prev.ephemeral !== m.ephemeral) return false;
  return Math.abs(new Date(m.timestamp) - new Date(prev.timestamp)) < 7 * 60 * 1000;
}

// message draws one message; ctx supplies what it links to: onButton,
// onDismiss, onOpenThread, onJump and threadOf(id).
export function message(m, grouped, ctx) {
  const root = el('div', 'message');
  root.dataset.id = m.id;
  root.id = 'msg-' + m.id;
  if (grouped) root.classList.add('grouped');
  if (m.ephemeral) root.classList.add('ephemeral');
  if (m.reply) root.append(replyLine(m.reply, ctx));
  if (m.command) {
    const line = el('div', 'context-line command-use');
    line.append(el('span', 'spine'), avatar(m.command.user, true), el('span', 'name', m.command.user.name),
      document.createTextNode(' used '), el('span', 'cmd', '/' + m.command.name));
    root.append(line);
  }
  const gutter = el('div', 'gutter');
  if (grouped) {
    const t = el('time', 'hover-time', timeOfDay(m.timestamp));
    t.title = fullTime(m.timestamp);
    gutter.append(t);
  } else {
    gutter.append(avatar(m.author));
  }
  const body = el('div', 'body');
  if (!grouped) {
    const head = el('div', 'header');
    head.append(authorName(m.author));
    const t = el('time', 'stamp', stamp(m.timestamp));
    t.dateTime = m.timestamp;
    t.title = fullTime(m.timestamp);
    head.append(t);
    body.append(head);
  }
  body.append(content(m));
  if (m.embeds.length) {
    const embeds = el('div', 'embeds');
    for (const e of m.embeds) embeds.append(embed(e));
    body.append(embeds);
  }
  if (m.rows.length) body.append(components(m, ctx));
  const thread = ctx.threadOf(m.thread_id || m.id);
  if (thread) body.append(threadChip(thread, ctx));
  if (m.ephemeral) body.append(ephemeralNote(m, ctx));
  root.append(gutter, body);
  ctx.decorate(root);
  return root;
}

// content is the message text with its "(edited)" mark; a message that
// is only embeds shows the mark on a line of its own, as Discord does.
function content(m) {
  if (m.loading) {
    const c = el('div', 'content loading');
    c.append(el('span', 'dots'), document.createTextNode(`${m.author.name} is thinking…`));
    return c;
  }
  const c = rendered('div', 'content markdown', m.html);
  if (m.edited) {
    const mark = el('span', 'edited', '(edited)');
    mark.title = fullTime(m.edited);
    c.append(mark);
  }
  if (!m.html && !m.edited) c.classList.add('empty');
  return c;
}

function replyLine(r, ctx) {
  const line = el('div', 'context-line reply-ref');
  line.dataset.ref = r.id;
  line.append(el('span', 'spine'));
  if (r.author) {
    line.append(avatar(r.author, true), el('span', 'name', '@' + r.author.name));
  }
  line.append(rendered('span', 'ref-text', r.html));
  line.addEventListener('click', () => ctx.onJump(r.id));
  return line;
}

export function embed(e) {
  const box = el('article', 'embed');
  if (e.color) box.style.setProperty('--embed-color', e.color);
  if (e.author) {
    box.append(e.author_url ? link(e.author_url, 'embed-author', e.author) : el('div', 'embed-author', e.author));
  }
  if (e.title_html) {
    const t = e.url ? link(e.url, 'embed-title') : el('div', 'embed-title');
    t.innerHTML = e.title_html;
    box.append(t);
  }
  if (e.html) box.append(rendered('div', 'embed-description markdown', e.html));
  if (e.fields && e.fields.length) {
    const grid = el('div', 'embed-fields');
    for (const f of e.fields) {
      // Up to three inline fields share a row (the CSS grid places them).
      const field = el('div', f.inline ? 'embed-field inline' : 'embed-field');
      field.append(rendered('div', 'embed-field-name', f.name_html), rendered('div', 'embed-field-value markdown', f.html));
      grid.append(field);
    }
    box.append(grid);
  }
  for (const [url, cls] of [[e.image, 'embed-image'], [e.thumbnail, 'embed-thumbnail']]) {
    if (url) box.append(link(url, cls, 'Image: ' + new URL(url).host));
  }
  if (e.footer || e.timestamp) {
    const foot = el('div', 'embed-footer');
    if (e.footer) foot.append(el('span', '', e.footer));
    if (e.footer && e.timestamp) foot.append(el('span', 'dot', '•'));
    if (e.timestamp) foot.append(el('span', '', stamp(e.timestamp)));
    box.append(foot);
  }
  return box;
}

function components(m, ctx) {
  const wrap = el('div', 'components');
  for (const row of m.rows) {
    const r = el('div', 'row');
    for (const b of row) {
      const label = (b.emoji ? b.emoji + ' ' : '') + b.label;
      if (b.url) {
        r.append(link(b.url, 'button style-5', label));
        continue;
      }
      const btn = el('button', `button style-${b.style}`, label);
      btn.type = 'button';
      btn.disabled = !!b.disabled || !b.custom_id;
      btn.dataset.customId = b.custom_id || '';
      btn.addEventListener('click', () => ctx.onButton(m, b, btn));
      r.append(btn);
    }
    wrap.append(r);
  }
  return wrap;
}

function threadChip(thread, ctx) {
  const chip = el('button', 'thread-chip');
  chip.type = 'button';
  chip.dataset.thread = thread.id;
  const count = ctx.countOf(thread.id);
  chip.append(el('span', 'thread-name', thread.name),
    el('span', 'thread-count', `${count} ${count === 1 ? 'Message' : 'Messages'} ›`));
  chip.addEventListener('click', () => ctx.onOpenThread(thread.id));
  return chip;
}

function ephemeralNote(m, ctx) {
  const note = el('div', 'ephemeral-note');
  note.append(el('span', 'eye'), document.createTextNode('Only you can see this • '));
  const dismiss = el('button', 'linkish', 'Dismiss message');
  dismiss.type = 'button';
  dismiss.addEventListener('click', () => ctx.onDismiss(m));
  note.append(dismiss);
  return note;
}

// decorate names the mentions the server left as ids, hooks up channel
// links and spoilers, and formats timestamps.
export function decorate(root, lookup) {
  for (const s of root.querySelectorAll('.mention[data-user]')) {
    const u = lookup.user(s.dataset.user);
    if (u) s.textContent = '@' + u.name;
  }
  for (const s of root.querySelectorAll('.mention[data-role]')) {
    const r = lookup.role(s.dataset.role);
    if (r) s.textContent = '@' + r;
  }
  for (const s of root.querySelectorAll('.mention[data-channel]')) {
    const c = lookup.channel(s.dataset.channel);
    if (c) {
      s.textContent = '#' + c.name;
      s.classList.add('clickable');
      s.addEventListener('click', () => lookup.open(c.id));
    }
  }
  for (const s of root.querySelectorAll('.spoiler')) {
    s.addEventListener('click', () => s.classList.add('revealed'));
  }
  refreshTimes(root);
}
