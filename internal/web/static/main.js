// The playground's Discord-like client. State comes from /api/events (a
// STATE, then every change); commands go to /api/interactions, which
// dispatches them to the bot as Discord would.

import { el, avatar, groups, message, decorate } from './render.js';
import { refreshTimes } from './time.js';
import { CommandBar } from './bar.js';

const TEXT = 0, ANNOUNCEMENT = 5, FORUM = 15;
const isThread = t => t === 10 || t === 11 || t === 12;
const ADMINISTRATOR = 1n << 3n;

const state = {
  bot: null,
  guild: null,
  members: [],
  channels: new Map(),
  messages: new Map(), // channel id → messages, oldest first (ephemeral ones are local)
  commands: [],
  me: null, // the member acting
  current: null, // the channel shown
  thread: null, // the thread open on the side
  unread: new Set(),
};

const $ = sel => document.querySelector(sel);

// byID orders snowflakes, which are too large for Number.
function byID(a, b) {
  const x = BigInt(a.id), y = BigInt(b.id);
  return x < y ? -1 : x > y ? 1 : 0;
}

function escapeHTML(s) {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// ---- state ----------------------------------------------------------------

function applyState(s) {
  const local = [...state.messages.values()].flat().filter(m => m.local);
  state.bot = s.bot;
  state.guild = s.guild;
  state.members = s.members;
  state.channels = new Map(s.channels.map(c => [c.id, c]));
  state.messages = new Map();
  for (const [id, list] of Object.entries(s.messages)) state.messages.set(id, list.map(sign));
  for (const m of local) insert(m);
  if (!state.me || !state.members.some(m => m.id === state.me)) {
    const admin = state.members.find(m => m.owner) || state.members[0];
    state.me = admin ? admin.id : null;
  }
  if (!state.channels.has(state.current)) {
    const first = s.channels.find(c => c.type === TEXT) || s.channels.find(c => !isThread(c.type));
    state.current = first ? first.id : null;
  }
  if (state.thread && !state.channels.has(state.thread)) state.thread = null;
  document.title = `${state.guild.name} — newsbot playground`;
  $('#guild-name').textContent = state.guild.name || 'Server';
  loadCommands();
  renderAll();
}

// sign remembers how a message looked, so an unchanged one keeps its node.
function sign(m) {
  m.sig = JSON.stringify(m);
  return m;
}

function insert(m) {
  const list = state.messages.get(m.channel_id) || [];
  const i = list.findIndex(x => x.id === m.id);
  if (i >= 0) list[i] = m;
  else {
    list.push(m);
    list.sort(byID);
  }
  state.messages.set(m.channel_id, list);
}

function upsertMessage(m) {
  const known = (state.messages.get(m.channel_id) || []).some(x => x.id === m.id);
  insert(sign(m));
  if (!known && m.channel_id !== state.current && m.channel_id !== state.thread) state.unread.add(m.channel_id);
  schedule();
}

function deleteMessage(d) {
  const list = state.messages.get(d.channel_id);
  if (list) state.messages.set(d.channel_id, list.filter(m => m.id !== d.id));
  schedule();
}

function upsertChannel(c) {
  state.channels.set(c.id, c);
  schedule();
}

let pending = 0;
function schedule() {
  if (!pending) pending = requestAnimationFrame(() => { pending = 0; renderAll(); });
}

// ---- the event stream -----------------------------------------------------

function setStatus(text, live) {
  const s = $('#conn-status');
  s.textContent = text;
  s.classList.toggle('live', live);
}

function connect() {
  const es = new EventSource('/api/events');
  es.addEventListener('state', e => { applyState(JSON.parse(e.data)); setStatus('live', true); });
  es.addEventListener('message', e => upsertMessage(JSON.parse(e.data)));
  es.addEventListener('delete', e => deleteMessage(JSON.parse(e.data)));
  es.addEventListener('channel', e => upsertChannel(JSON.parse(e.data)));
  es.onerror = () => {
    setStatus('reconnecting…', false);
    // An EventSource retries by itself, except after an error answer.
    if (es.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
  };
}

// ---- talking to the bot ---------------------------------------------------

async function loadCommands() {
  try {
    const r = await fetch('/api/commands');
    if (r.ok) state.commands = await r.json();
  } catch { /* the next STATE or "/" tries again */ }
}

function member() {
  return state.members.find(m => m.id === state.me);
}

// usable lists the commands the member acting may see: Discord's client
// hides one whose default_member_permissions they lack.
function usable() {
  const me = member();
  const perms = me ? BigInt(me.permissions) : 0n;
  return state.commands.filter(c => {
    if (!c.permissions) return true;
    const need = BigInt(c.permissions);
    return (perms & ADMINISTRATOR) !== 0n || (perms & need) === need;
  });
}

async function interact(channelID, req) {
  try {
    const r = await fetch('/api/interactions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...req, user_id: state.me, channel_id: channelID }),
    });
    const body = await r.json();
    if (!r.ok) return { error: body.error || `The playground answered ${r.status}` };
    return body;
  } catch (err) {
    return { error: 'The playground is not answering: ' + err.message };
  }
}

// answered shows what an interaction produced; ephemeral answers exist
// only here, for the member who asked.
function answered(msgs) {
  for (const m of msgs) {
    if (m.ephemeral) {
      m.local = true;
      m.owner = state.me;
    }
    insert(sign(m));
  }
  schedule();
}

let notices = 0;
function notice(channelID, text) {
  notices++;
  const now = new Date().toISOString();
  const m = {
    id: String(BigInt(Date.now() - 1420070400000) << 22n | BigInt(notices)), channel_id: channelID, type: 0,
    author: { id: '0', name: 'Playground', bot: true }, timestamp: now, html: escapeHTML(text),
    embeds: [], rows: [], ephemeral: true, local: true, owner: state.me, notice: true,
  };
  insert(sign(m));
  schedule();
}

function barFor(form, channel) {
  return new CommandBar(form, {
    commands: usable,
    refresh: loadCommands,
    interact: req => interact(channel(), req),
    answered,
    notice: text => notice(channel(), text),
  });
}

// ---- drawing --------------------------------------------------------------

const lookup = {
  user: id => (id === state.bot?.id ? state.bot : state.members.find(m => m.id === id)),
  role: () => null,
  channel: id => state.channels.get(id),
  open: id => openChannel(id),
};

function threadOf(id) {
  const c = state.channels.get(id);
  return c && isThread(c.type) ? c : null;
}

function countOf(id) {
  return (state.messages.get(id) || []).filter(m => !m.local).length;
}

function messageContext(channelID) {
  return {
    threadOf: id => (id === channelID ? null : threadOf(id)),
    countOf,
    decorate: node => decorate(node, lookup),
    onOpenThread: id => openThread(id),
    onJump: id => jump(id),
    onDismiss: m => {
      const list = state.messages.get(m.channel_id) || [];
      state.messages.set(m.channel_id, list.filter(x => x !== m));
      schedule();
    },
    onButton: async (m, b, btn) => {
      btn.classList.add('loading');
      btn.disabled = true;
      const res = await interact(m.channel_id, { type: 'component', message_id: m.id, custom_id: b.custom_id });
      btn.classList.remove('loading');
      btn.disabled = false;
      if (res.error) notice(m.channel_id, res.error);
      else answered(res.messages || []);
    },
  };
}

// renderList draws msgs into box, reusing the node of every message that
// has not changed, so a click never lands on a node being replaced.
function renderList(box, msgs, cache, ctx) {
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  const list = box.querySelector('.list');
  const nodes = [];
  const seen = new Set();
  let prev = null;
  for (const m of msgs) {
    const grouped = groups(prev, m);
    const thread = ctx.threadOf(m.thread_id || m.id);
    const sig = m.sig + (grouped ? '|g' : '') + (thread ? `|${thread.name}|${countOf(thread.id)}` : '');
    let c = cache.get(m.id);
    if (!c || c.sig !== sig) {
      c = { sig, node: message(m, grouped, ctx) };
      cache.set(m.id, c);
    }
    nodes.push(c.node);
    seen.add(m.id);
    prev = m;
  }
  for (const id of [...cache.keys()]) if (!seen.has(id)) cache.delete(id);
  nodes.forEach((n, i) => {
    if (list.children[i] !== n) list.insertBefore(n, list.children[i] || null);
  });
  while (list.children.length > nodes.length) list.lastChild.remove();
  if (atBottom) box.scrollTop = box.scrollHeight;
}

function visible(channelID) {
  return (state.messages.get(channelID) || []).filter(m => !m.local || m.owner === state.me);
}

const mainCache = new Map();
const threadCache = new Map();

function renderAll() {
  if (!state.guild) return;
  renderChannels();
  renderMain();
  renderThread();
  renderMe();
}

function icon(kind) {
  const paths = {
    text: 'M5.9 20 6.6 16H3l.4-2h3.6l1-6H4.4l.4-2h3.6l.7-4h2l-.7 4h6l.7-4h2l-.7 4H22l-.4 2h-3.6l-1 6h3.6l-.4 2h-3.6l-.7 4h-2l.7-4h-6l-.7 4zm3.1-6h6l1-6h-6z',
    announcement: 'M3 9v6h4l6 5V4L7 9zm13 .5a3.5 3.5 0 0 1 0 5v-5zM16 5a8 8 0 0 1 0 14v-2a6 6 0 0 0 0-10z',
    forum: 'M4 4h12a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H9l-4 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm16 5h1a1 1 0 0 1 1 1v11l-3-3h-7a1 1 0 0 1-1-1v-1h7a2 2 0 0 0 2-2z',
    thread: 'M6 3v10a4 4 0 0 0 4 4h8v-2l4 3-4 3v-2h-8a6 6 0 0 1-6-6V3z',
  };
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', paths[kind]);
  svg.append(path);
  return svg;
}

function kindOf(c) {
  if (isThread(c.type)) return 'thread';
  if (c.type === ANNOUNCEMENT) return 'announcement';
  if (c.type === FORUM) return 'forum';
  return 'text';
}

function renderChannels() {
  const box = $('#channels');
  const top = [...state.channels.values()].filter(c => !isThread(c.type) && c.type !== 4).sort((a, b) => a.position - b.position);
  const rows = [el('div', 'category', 'Text channels')];
  for (const c of top) {
    rows.push(channelRow(c));
    if (c.type === FORUM) continue; // forum posts are listed in the forum
    for (const t of state.channels.values()) {
      if (isThread(t.type) && t.parent_id === c.id) rows.push(channelRow(t));
    }
  }
  box.replaceChildren(...rows);
}

function channelRow(c) {
  const row = el('button', 'channel ' + kindOf(c));
  row.type = 'button';
  row.dataset.channelId = c.id;
  row.append(icon(kindOf(c)), el('span', 'channel-name', c.name));
  if (c.id === state.current || c.id === state.thread) row.classList.add('active');
  if (state.unread.has(c.id)) row.classList.add('unread');
  row.addEventListener('click', () => (isThread(c.type) ? openThread(c.id) : openChannel(c.id)));
  return row;
}

function openChannel(id) {
  if (state.current !== id) mainCache.clear();
  state.current = id;
  state.unread.delete(id);
  renderAll();
  const box = $('#messages');
  box.scrollTop = box.scrollHeight;
}

function openThread(id) {
  if (state.thread !== id) threadCache.clear();
  state.thread = id;
  state.unread.delete(id);
  renderAll();
  const box = $('#thread-messages');
  box.scrollTop = box.scrollHeight;
}

function jump(id) {
  const node = document.getElementById('msg-' + id);
  if (!node) return;
  node.scrollIntoView({ block: 'center' });
  node.classList.remove('flash');
  void node.offsetWidth;
  node.classList.add('flash');
}

function renderMain() {
  const c = state.channels.get(state.current);
  if (!c) return;
  $('#channel-icon').replaceChildren(icon(kindOf(c)));
  $('#channel-name').textContent = c.name;
  $('#channel-topic').textContent = c.topic || '';
  $('#welcome-title').textContent = `Welcome to #${c.name}!`;
  $('#welcome-text').textContent = `This is the start of the #${c.name} channel.`;
  const forum = c.type === FORUM;
  $('#messages').hidden = forum;
  $('#forum').hidden = !forum;
  mainBar.setPlaceholder(forum ? 'Commands are not used in a forum — open a post' : `Message #${c.name} — type / for the bot's commands`, !forum);
  if (forum) renderForum(c);
  else renderList($('#messages'), visible(c.id), mainCache, messageContext(c.id));
}

function renderForum(forum) {
  const box = $('#forum');
  const posts = [...state.channels.values()].filter(t => isThread(t.type) && t.parent_id === forum.id);
  if (!posts.length) {
    box.replaceChildren(el('div', 'forum-empty', 'No posts yet. A feed that posts to this forum opens one post per story.'));
    return;
  }
  box.replaceChildren(...posts.reverse().map(t => {
    const card = el('button', 'forum-post');
    card.type = 'button';
    card.dataset.thread = t.id;
    const first = (state.messages.get(t.id) || [])[0];
    const preview = el('div', 'forum-preview markdown');
    if (first) preview.innerHTML = first.embeds.length ? first.embeds[0].title_html || '' : first.html;
    card.append(el('div', 'forum-title', t.name), preview, el('div', 'forum-count', `${countOf(t.id)} ${countOf(t.id) === 1 ? 'message' : 'messages'}`));
    card.addEventListener('click', () => openThread(t.id));
    return card;
  }));
}

function renderThread() {
  const panel = $('#thread');
  const t = state.channels.get(state.thread);
  panel.hidden = !t;
  document.body.classList.toggle('with-thread', !!t);
  if (!t) return;
  $('#thread-name').textContent = t.name;
  const parent = state.channels.get(t.parent_id);
  $('#thread-parent').textContent = parent ? '#' + parent.name : '';
  // A thread started from a message shows that message first.
  const starter = parent ? (state.messages.get(parent.id) || []).find(m => m.id === t.id) : null;
  const msgs = (starter ? [starter] : []).concat(visible(t.id));
  renderList($('#thread-messages'), msgs, threadCache, messageContext(t.id));
}

function renderMe() {
  const me = member();
  const box = $('#me-user');
  if (!me) {
    box.replaceChildren();
    return;
  }
  const who = el('div', 'me-names');
  who.append(el('div', 'me-name', me.name), el('div', 'me-role', me.roles.length ? me.roles.join(', ') : 'Member'));
  box.replaceChildren(avatar(me), who);
  box.dataset.userId = me.id;
  const other = state.members.find(m => m.id !== me.id);
  const sw = $('#switch-user');
  sw.hidden = !other;
  if (other) sw.textContent = `Switch to ${other.name}`;
}

function switchUser() {
  const i = state.members.findIndex(m => m.id === state.me);
  state.me = state.members[(i + 1) % state.members.length].id;
  mainCache.clear();
  threadCache.clear();
  renderAll();
}

// ---- start ----------------------------------------------------------------

const mainBar = barFor($('#bar'), () => state.current);
barFor($('#thread-bar'), () => state.thread);
$('#switch-user').addEventListener('click', switchUser);
$('#thread-close').addEventListener('click', () => { state.thread = null; renderAll(); });
document.addEventListener('keydown', e => {
  if (e.key === '/' && document.activeElement === document.body) {
    e.preventDefault();
    $('#bar-input').focus();
    $('#bar-input').value = '/';
    $('#bar-input').dispatchEvent(new Event('input'));
  }
});
setInterval(() => refreshTimes(document.body), 10000);
connect();
