// Times as Discord's client shows them, in the reader's time zone.

const day = 24 * 60 * 60 * 1000;
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const clockSec = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
const shortDate = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: '2-digit', day: '2-digit' });
const longDate = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });
const fullDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const rel = new Intl.RelativeTimeFormat(undefined, { numeric: 'always' });

function startOfDay(d) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

// stamp is a message header's time: "Today at 8:05 AM", "Yesterday at …",
// else the date and time.
export function stamp(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return '';
  const days = Math.round((startOfDay(new Date()) - startOfDay(d)) / day);
  if (days === 0) return `Today at ${clock.format(d)}`;
  if (days === 1) return `Yesterday at ${clock.format(d)}`;
  return `${shortDate.format(d)} ${clock.format(d)}`;
}

// timeOfDay is the time shown beside a grouped message.
export function timeOfDay(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : clock.format(d);
}

export function fullTime(iso) {
  const d = new Date(iso);
  return isNaN(d) ? '' : fullDay.format(d);
}

// relative says "3 hours ago" or "in 5 minutes", in the largest unit
// that is at least one, as Discord does.
export function relative(d, now = Date.now()) {
  const s = Math.round((d.getTime() - now) / 1000);
  const units = [['year', 365 * 86400], ['month', 30 * 86400], ['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, secs] of units) {
    if (Math.abs(s) >= secs) return rel.format(Math.trunc(s / secs), unit);
  }
  return rel.format(s, 'second');
}

// markup formats a <t:unix:style> timestamp.
export function markup(unix, style) {
  const d = new Date(unix * 1000);
  switch (style) {
    case 't': return clock.format(d);
    case 'T': return clockSec.format(d);
    case 'd': return shortDate.format(d);
    case 'D': return longDate.format(d);
    case 'F': return fullDay.format(d);
    case 'R': return relative(d);
    default: return full.format(d);
  }
}

// refreshTimes rewrites every rendered <t:…> under root; R ones change
// as time passes, so the page calls this again every few seconds.
export function refreshTimes(root) {
  for (const t of root.querySelectorAll('time.ts[data-unix]')) {
    const unix = Number(t.dataset.unix);
    if (!Number.isFinite(unix)) continue;
    const text = markup(unix, t.dataset.style);
    if (t.textContent !== text) t.textContent = text;
    t.title = fullDay.format(new Date(unix * 1000));
  }
}
