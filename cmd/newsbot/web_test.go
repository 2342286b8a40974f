package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/newsbot-dev/newsbot/emulator"
)

// The screenshot the README shows, rewritten by go test -run TestWebClient -update.
const (
	readmeShot    = "../../docs/playground.png"
	maxReadmeShot = 300 << 10
	shotWidth     = 1280
	shotHeight    = 800
)

// waitFor bounds each wait for the page; a step that works takes well
// under a second, but -race and a busy machine slow everything.
const waitFor = 45 * time.Second

// TestWebClient drives the playground's web page in headless Chromium as
// a member would: the first posts arrive, /summarize runs from the bar
// with its story picked by autocomplete, /thread pages with its buttons, a
// member sees neither admin commands nor the admin's private answers, an
// update edits a post live, and hostile text stays text.
func TestWebClient(t *testing.T) {
	ctx := openBrowser(t)
	var out, errOut syncBuffer
	env := &cmdEnv{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	pgCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	started := time.Now()
	pg, err := startPlayground(pgCtx, env, playgroundFlags{
		config: "../../config.example.yaml", discord: "127.0.0.1:0", site: "127.0.0.1:0", web: "127.0.0.1:0", quiet: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.stop()
	if pg.webURL == "" || !strings.Contains(out.String(), "Open in a browser "+pg.webURL) {
		t.Fatalf("the banner does not give the page's address:\n%s", out.String())
	}
	p := &browserTab{t: t, ctx: ctx}
	p.console = p.watchConsole()
	p.do("open the page", chromedp.Navigate(pg.webURL))
	opened := time.Now()

	p.wait("the first posts in #news", `document.querySelector('#channel-name').textContent === 'news' &&
		document.querySelector('#conn-status').textContent === 'live' &&
		[...document.querySelectorAll('#messages .embed-title')].some(e => e.textContent.includes('Riverside council approves new footbridge'))`)
	t.Logf("the first post showed %v after the page opened, %v after the playground started",
		time.Since(opened).Round(time.Millisecond), time.Since(started).Round(time.Millisecond))
	p.wait("the channel list", `['news', 'tech', 'discussions', 'announcements'].every((n, i) =>
		document.querySelectorAll('#channels .channel')[i]?.textContent === n) &&
		document.querySelector('#channels .forum') && document.querySelector('#channels .announcement')`)

	liveUpdate(p, pg)
	summarizeStory(p)
	saveScreenshot(t, p.screenshot())
	threadPages(p)
	memberView(p)
	hostilePost(p, pg)
	if errs := p.console.all(); len(errs) > 0 {
		t.Errorf("the page logged errors:\n%s", strings.Join(errs, "\n"))
	}
}

// threadPages: /thread on the heatwave story, picked by autocomplete,
// answers with an outline and a Next button that edits it to page 2.
func threadPages(p *browserTab) {
	p.run("/thread", "heat", "Heatwave warning issued as temperatures set to pass 38C")
	p.wait("the /thread answer with its buttons", `(() => {
		const m = [...document.querySelectorAll('#messages .message')].findLast(m => m.querySelector('.content').textContent.includes('Thread of story'));
		return m && m.textContent.includes('page 1 of 2') && m.querySelector('.command-use .cmd')?.textContent === '/thread' &&
			[...m.querySelectorAll('button')].some(b => b.textContent === 'Next ▶' && !b.disabled);
	})()`)
	p.eval("click Next", `(() => {
		const m = [...document.querySelectorAll('#messages .message')].findLast(m => m.textContent.includes('page 1 of 2'));
		window.__paged = m.dataset.id;
		[...m.querySelectorAll('button')].find(b => b.textContent === 'Next ▶').click();
		return true;
	})()`)
	p.wait("page 2 of the outline, edited in place", `(() => {
		const m = document.querySelector('#msg-' + window.__paged);
		return m && m.textContent.includes('page 2 of 2') && m.querySelector('.edited') &&
			[...m.querySelectorAll('button')].some(b => b.textContent === '◀ Previous' && !b.disabled);
	})()`)
}

// memberView: switched to the plain member, the picker hides /feeds, a
// mistake is answered privately, and the admin does not see that answer.
func memberView(p *browserTab) {
	p.eval("switch to the member", `document.querySelector('#switch-user').click() || true`)
	p.wait("the member acting", `document.querySelector('#me-user .me-name')?.textContent === 'member'`)
	p.clearBar()
	p.do("type /", chromedp.SendKeys(chromedp.ID("bar-input"), "/"))
	p.wait("the member's commands", `(() => {
		const names = [...document.querySelectorAll('#bar .popup .item.command')].map(i => i.dataset.value);
		return names.includes('summarize') && names.includes('quote') && !names.some(n => n.startsWith('feeds'));
	})()`)
	p.do("ask about a story that does not exist", chromedp.SendKeys(chromedp.ID("bar-input"), "summarize story:999"))
	p.wait("autocomplete finding nothing", `document.querySelector('#bar .popup .item.empty, #bar .popup .item.choice') !== null`)
	p.do("send", chromedp.SendKeys(chromedp.ID("bar-input"), kb.Enter))
	p.wait("a private answer", `[...document.querySelectorAll('#messages .message.ephemeral')].some(m =>
		m.textContent.includes("Story 999 doesn't exist") && m.querySelector('.ephemeral-note').textContent.includes('Only you can see this'))`)
	p.eval("switch back to the admin", `document.querySelector('#switch-user').click() || true`)
	p.wait("the admin, who does not see the member's private answer", `document.querySelector('#me-user .me-name')?.textContent === 'admin' &&
		!document.querySelector('#messages').textContent.includes("Story 999 doesn't exist")`)
}

// liveUpdate: the example site updates the heatwave story; the page shows
// the post edited and the bot's reply quoting what was added, unreloaded.
func liveUpdate(p *browserTab, pg *playground) {
	pg.updateHeatwave()
	p.wait("the heatwave post edited and the update's reply", `(() => {
		const msgs = [...document.querySelectorAll('#messages .message')];
		const post = msgs.find(m => m.querySelector('.embed-title')?.textContent.startsWith('Updated: Heatwave warning'));
		const reply = msgs.find(m => m.querySelector('.reply-ref')?.textContent.includes('Heatwave warning') &&
			m.querySelector('.content blockquote')?.textContent.includes('Update: The warning was raised to red'));
		return post && post.querySelector('.edited') && reply;
	})()`)
}

// hostilePost: markup, scripts and mentions in a post stay inert text,
// and a thread opens on the side.
func hostilePost(p *browserTab, pg *playground) {
	s, err := discordgo.New("Bot playground")
	if err != nil {
		p.t.Fatal(err)
	}
	s.Client = emulator.HTTPClient(pg.emuURL)
	none := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
	m, err := s.ChannelMessageSendComplex(emulator.DefaultTechChannel, &discordgo.MessageSend{
		Content: `<img src=x onerror="window.pwned=1"> **bold** <@` + emulator.DefaultAdminUserID + `> @everyone ` +
			`[click](javascript:window.pwned=2) <script>window.pwned=3</script>`,
		Embeds: []*discordgo.MessageEmbed{{
			Title: `<b onmouseover="window.pwned=4">title</b>`, Description: "[y](javascript:window.pwned=5)",
			Author: &discordgo.MessageEmbedAuthor{Name: `<img src=x onerror="window.pwned=6">`},
			Footer: &discordgo.MessageEmbedFooter{Text: `<svg onload="window.pwned=7">`},
			Fields: []*discordgo.MessageEmbedField{{Name: "<i>field</i>", Value: "[x](javascript:window.pwned=8)"}},
		}},
		AllowedMentions: none,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	th, err := s.MessageThreadStart(emulator.DefaultTechChannel, m.ID, "Hostile thread", 1440)
	if err != nil {
		p.t.Fatal(err)
	}
	if _, err := s.ChannelMessageSendComplex(th.ID, &discordgo.MessageSend{Content: "in the thread: <i>still text</i>", AllowedMentions: none}); err != nil {
		p.t.Fatal(err)
	}
	p.eval("open #tech", `document.querySelector('#channels [data-channel-id="`+emulator.DefaultTechChannel+`"]').click() || true`)
	p.wait("the hostile post, with its thread", `(() => {
		const m = document.querySelector('#msg-`+m.ID+`');
		return m && m.querySelector('.thread-chip')?.textContent.includes('1 Message');
	})()`)
	got := evalJS[map[string]any](p, "inspect the hostile post", `(() => {
		const m = document.querySelector('#msg-`+m.ID+`');
		return {
			pwned: window.pwned ?? null,
			elements: m.querySelectorAll('img, script, svg, iframe, b, i').length,
			jsLinks: document.querySelectorAll('a[href^="javascript:"]').length,
			bold: m.querySelector('.content strong')?.textContent ?? null,
			mention: m.querySelector('.content .mention')?.textContent ?? null,
			text: m.querySelector('.content').textContent,
			author: m.querySelector('.embed-author').textContent,
		};
	})()`)
	want := map[string]any{"pwned": nil, "elements": 0.0, "jsLinks": 0.0, "bold": "bold", "mention": "@admin",
		"author": `<img src=x onerror="window.pwned=6">`}
	for k, v := range want {
		if got[k] != v {
			p.t.Errorf("hostile post: %s = %#v, want %#v", k, got[k], v)
		}
	}
	if text, _ := got["text"].(string); !strings.Contains(text, `<img src=x onerror="window.pwned=1">`) || !strings.Contains(text, "<script>") {
		p.t.Errorf("hostile post: the markup is not shown as text: %q", text)
	}
	p.eval("open the thread", `document.querySelector('#msg-`+m.ID+` .thread-chip').click() || true`)
	p.wait("the thread on the side", `!document.querySelector('#thread').hidden &&
		document.querySelector('#thread-name').textContent === 'Hostile thread' &&
		document.querySelector('#thread-messages').textContent.includes('in the thread: <i>still text</i>')`)
	p.eval("close the thread and go back to #news", `(document.querySelector('#thread-close').click(),
		document.querySelector('#channels [data-channel-id="`+emulator.DefaultNewsChannel+`"]').click(), true)`)
	p.wait("#news again", `document.querySelector('#thread').hidden && document.querySelector('#channel-name').textContent === 'news'`)
}

// summarizeStory runs /summarize from the bar, the story picked by
// autocomplete and the length from the option's choices.
func summarizeStory(p *browserTab) {
	bar := chromedp.ID("bar-input")
	p.pickCommand("/sum", "foot", "Riverside council approves new footbridge after three-year debate")
	p.wait("the other options offered", `document.querySelector('#bar .popup .item.option')?.dataset.value === 'length'`)
	p.do("take the length option", chromedp.SendKeys(bar, kb.Tab))
	p.wait("the lengths to choose from", `[...document.querySelectorAll('#bar .popup .item.choice')].map(i => i.dataset.value).join() === 'short,standard,detailed'`)
	p.do("take short", chromedp.SendKeys(bar, kb.Enter))
	p.wait("the command line", `/^\/summarize story:\d+ length:short $/.test(document.querySelector('#bar-input').value)`)
	p.send()
	p.wait("the summary", `[...document.querySelectorAll('#messages .message')].some(m =>
		m.querySelector('.command-use .name')?.textContent === 'admin' && m.querySelector('.command-use .cmd')?.textContent === '/summarize' &&
		m.querySelector('.embed-title')?.textContent === 'Summary: Riverside council approves new footbridge after three-year debate' &&
		[...m.querySelectorAll('.embed-field-name')].some(f => f.textContent === 'Most active'))`)
}

// browserTab is the browser tab with the playground, failing the test with
// what it shows when a step does not happen.
type browserTab struct {
	t       *testing.T
	ctx     context.Context
	console *consoleErrors
}

func (p *browserTab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitFor)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail(what, err)
	}
}

// wait polls a JavaScript condition on the page until it holds.
func (p *browserTab) wait(what, cond string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitFor+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!!(`+cond+`)`,
		chromedp.WithPollingTimeout(waitFor), chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		p.fail("waiting for "+what, err)
	}
}

func (p *browserTab) eval(what, expr string) { evalJS[bool](p, what, expr) }

func evalJS[T any](p *browserTab, what, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitFor)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.fail(what, err)
	}
	return v
}

// run types a command into the bar as a member would and sends it.
func (p *browserTab) run(typed, search, choice string) {
	p.t.Helper()
	p.pickCommand(typed, search, choice)
	p.send()
}

// pickCommand types part of a command's name, Enter to take it, words of
// a story's title, and Enter on the choice the bot's autocomplete offers.
func (p *browserTab) pickCommand(typed, search, choice string) {
	p.t.Helper()
	bar := chromedp.ID("bar-input")
	p.clearBar()
	p.do("type "+typed, chromedp.SendKeys(bar, typed))
	p.wait("the command in the list", `document.querySelector('#bar .popup .item.command.active')?.textContent.startsWith('`+typed+`')`)
	p.do("take the command and search", chromedp.SendKeys(bar, kb.Enter), chromedp.SendKeys(bar, search))
	p.wait("autocomplete offering "+choice, `document.querySelector('#bar .popup .item.choice.active')?.textContent.startsWith('`+choice+`')`)
	p.do("take the choice", chromedp.SendKeys(bar, kb.Enter))
	p.wait("the story's id in the bar", `/ story:\d+ $/.test(document.querySelector('#bar-input').value)`)
}

// send presses Enter and waits for the bot's answer to empty the bar.
func (p *browserTab) send() {
	p.t.Helper()
	p.do("send", chromedp.SendKeys(chromedp.ID("bar-input"), kb.Enter))
	p.wait("the bar emptied", `document.querySelector('#bar-input').value === ''`)
}

// clearBar empties the message bar, as selecting its text and deleting it would.
func (p *browserTab) clearBar() {
	p.eval("clear the bar", `(() => {
		const i = document.querySelector('#bar-input');
		i.value = '';
		i.dispatchEvent(new Event('input'));
		return true;
	})()`)
}

// fail ends the test with the end of the page's text and a screenshot,
// which tell a broken page from a slow one.
func (p *browserTab) fail(what string, err error) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText.slice(-2500)`))
	where := ""
	if shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		where = filepath.Join(p.t.TempDir(), "failure.png")
		os.WriteFile(where, shot, 0o644)
		copyArtifact(p.t, where)
	}
	var logged string
	if p.console != nil {
		logged = strings.Join(p.console.all(), "\n")
	}
	p.t.Fatalf("%s: %v\nthe page ends with:\n%s\nscreenshot: %s\nthe page logged:\n%s", what, err, text, where, logged)
}

func (p *browserTab) screenshot() []byte {
	p.t.Helper()
	p.eval("scroll to the latest", `(document.querySelector('#messages').scrollTop = 1e9, document.activeElement.blur(), true)`)
	ctx, cancel := context.WithTimeout(p.ctx, waitFor)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.fail("screenshot", err)
	}
	return shot
}

// consoleErrors is what the page logged as errors, and its uncaught
// exceptions: a CSP violation or a script error is a broken page.
type consoleErrors struct {
	mu   sync.Mutex
	list []string
}

func (c *consoleErrors) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.list...)
}

func (p *browserTab) watchConsole() *consoleErrors {
	c := &consoleErrors{}
	msgs := chromedp.Console(p.ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" {
				c.mu.Lock()
				c.list = append(c.list, m.String())
				c.mu.Unlock()
			}
		}
	}()
	return c
}

// openBrowser starts headless Chromium for the test. Without one it
// skips — unless CI=true, where a missing browser is a failure.
func openBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromium()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but no Chromium: set NEWSBOT_CHROMIUM or install Debian's chromium (.ci/run does)")
		}
		t.Skip("no Chromium: the browser test needs Debian's chromium (apt-get install chromium) or NEWSBOT_CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(shotWidth, shotHeight))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); acancel() })
	// The first action starts the browser, which lives as long as ctx.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(shotWidth, shotHeight)); err != nil {
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	return ctx
}

func chromium() string {
	if p := os.Getenv("NEWSBOT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// saveScreenshot checks the screenshot's size and keeps it: in the
// test's temporary folder, in $NEWSBOT_ARTIFACTS for CI, and with -update
// as the README's picture.
func saveScreenshot(t *testing.T, shot []byte) {
	t.Helper()
	cfg, err := png.DecodeConfig(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if cfg.Width != shotWidth || cfg.Height != shotHeight {
		t.Errorf("the screenshot is %dx%d, want %dx%d", cfg.Width, cfg.Height, shotWidth, shotHeight)
	}
	path := filepath.Join(t.TempDir(), "playground.png")
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d KB)", path, len(shot)>>10)
	copyArtifact(t, path)
	if updating() {
		if len(shot) > maxReadmeShot {
			t.Fatalf("the screenshot is %d KB, more than the README's %d KB", len(shot)>>10, maxReadmeShot>>10)
		}
		if err := os.WriteFile(readmeShot, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// copyArtifact keeps a file where CI collects artifacts, when it says where.
func copyArtifact(t *testing.T, path string) {
	dir := os.Getenv("NEWSBOT_ARTIFACTS")
	if dir == "" {
		return
	}
	b, err := os.ReadFile(path)
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, filepath.Base(path)), b, 0o644)
	}
	if err != nil {
		t.Logf("keeping %s for CI: %v", path, err)
	}
}
