package discordmd

import (
	"strings"
	"testing"
)

func TestBlock(t *testing.T) {
	link := func(u, text string) string {
		return `<a href="` + u + `" title="` + u + `" target="_blank" rel="noopener noreferrer nofollow ugc">` + text + `</a>`
	}
	tests := []struct {
		name, in, want string
	}{
		{"plain text keeps its line breaks", "one\ntwo\n\nthree", "one\ntwo\n\nthree"},
		{"bold", "**Updated:** Heatwave", "<strong>Updated:</strong> Heatwave"},
		{"italics with stars", "*(2 more added paragraphs not shown)*", "<em>(2 more added paragraphs not shown)</em>"},
		{"italics with underscores", "_so_ it goes", "<em>so</em> it goes"},
		{"bold italics", "***both***", "<strong><em>both</em></strong>"},
		{"bold inside italics", "*a **b** c*", "<em>a <strong>b</strong> c</em>"},
		{"underline, strike, spoiler", "__u__ ~~s~~ ||x||", `<u>u</u> <s>s</s> <span class="spoiler">x</span>`},
		{"emphasis spans lines", "**one\ntwo**", "<strong>one\ntwo</strong>"},
		{"snake_case stays", "marta_k and snake_case_name", "marta_k and snake_case_name"},
		{"a lone star is text", "5 * 3 = 15", "5 * 3 = 15"},
		{"star then space is no emphasis", "a * b*", "a * b*"},
		{"a star and a space start a list", "* item*", "<ul><li>item*</li></ul>"},
		{"unclosed bold is text", "**open", "**open"},
		{"escapes print the character", `marta\_k \*not bold\* \# \> \\ \-# 1\. x`, `marta_k *not bold* # &gt; \ -# 1. x`},
		{"a backslash before a letter stays", `C:\news`, `C:\news`},
		{"escaped delimiter does not close", `**a\**b**`, `<strong>a**b</strong>`},
		{"inline code is literal", "`**x** <b>`", "<code>**x** &lt;b&gt;</code>"},
		{"double-tick code holds a tick", "``a`b``", "<code>a`b</code>"},
		{"code block with language", "```go\nfmt.Println(\"<hi>\")\n```\nafter", "<pre><code>fmt.Println(&#34;&lt;hi&gt;&#34;)</code></pre>after"},
		{"quote", "> Seven to two\n> is not unanimous\nafter", "<blockquote>Seven to two\nis not unanimous</blockquote>after"},
		{"quote needs its space", ">no\n>", "&gt;no\n&gt;"},
		{"a bare > line splits a quote", "> a\n>\n> b", "<blockquote>a</blockquote>&gt;\n<blockquote>b</blockquote>"},
		{"quote keeps markdown inside", "> **bold** \\> not nested", "<blockquote><strong>bold</strong> &gt; not nested</blockquote>"},
		{"quotes do not nest", "> > inner", "<blockquote>&gt; inner</blockquote>"},
		{"multi-line quote", "before\n>>> all\nof this", "before\n<blockquote>all\nof this</blockquote>"},
		{"headings", "# Big\n## Mid\n### Small\n#### no", "<h1>Big</h1><h2>Mid</h2><h3>Small</h3>#### no"},
		{"heading needs a space and text", "#tag\n# ", "#tag\n# "},
		{"heading only at a line's start", "a # b", "a # b"},
		{"subtext", "text\n-# This name is too long to page through", `text` + "\n" + `<small class="subtext">This name is too long to page through</small>`},
		{"list", "- one\n- **two**\nafter", "<ul><li>one</li><li><strong>two</strong></li></ul>after"},
		{"ordered list keeps its start", "3. three\n4. four", `<ol start="3"><li>three</li><li>four</li></ol>`},
		{"bullet characters are text", "• “quoted” — **marta\\_k**", "• “quoted” — <strong>marta_k</strong>"},
		{"masked link", "[Riverside council](<http://127.0.0.1:8765/story/footbridge>) · 10 comments",
			link("http://127.0.0.1:8765/story/footbridge", "Riverside council") + " · 10 comments"},
		{"masked link text keeps formatting, not links", "[**a** https://x.example](https://y.example)",
			link("https://y.example", "<strong>a</strong> https://x.example")},
		{"masked link to javascript is text", "[click](javascript:alert(1))", "[click](javascript:alert(1))"},
		{"masked link with a quote in the URL", `[a](https://x.example/"onmouseover="x)`,
			link(`https://x.example/&#34;onmouseover=&#34;x`, "a")},
		{"bare URL without closing punctuation", "see https://example.com/a_b_c.", "see " + link("https://example.com/a_b_c", "https://example.com/a_b_c") + "."},
		{"URL in angle brackets", "more at <https://example.com/x>", "more at " + link("https://example.com/x", "https://example.com/x")},
		{"not a URL scheme", "<javascript:alert(1)> ftp://x", "&lt;javascript:alert(1)&gt; ftp://x"},
		{"relative timestamp", "<t:1796533519:R>", `<time class="ts" data-unix="1796533519" data-style="R" title="Sunday, December 6, 2026 5:05 AM UTC">December 6, 2026 5:05 AM</time>`},
		{"default timestamp style", "<t:0>", `<time class="ts" data-unix="0" data-style="f" title="Thursday, January 1, 1970 12:00 AM UTC">January 1, 1970 12:00 AM</time>`},
		{"bad timestamps are text", "<t:1:X> <t:abc> <t:99999999999999999>", "&lt;t:1:X&gt; &lt;t:abc&gt; &lt;t:99999999999999999&gt;"},
		{"user mention is inert", "<@100000000000000010> <@!5>", `<span class="mention" data-user="100000000000000010">@unknown-user</span> <span class="mention" data-user="5">@unknown-user</span>`},
		{"channel and role mentions", "<#100000000000000001> <@&7>", `<span class="mention" data-channel="100000000000000001">#unknown</span> <span class="mention" data-role="7">@unknown-role</span>`},
		{"mass mentions are plain text", "@everyone @here", "@everyone @here"},
		{"custom emoji and command mentions", "<:party:123> </summarize:456>", `<span class="emoji">:party:</span> <span class="mention command">/summarize</span>`},
		{"HTML is text", `<img src=x onerror="alert(1)"><script>alert(2)</script>`, `&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;`},
		{"entities are text", "&amp; &lt;", "&amp;amp; &amp;lt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Block(tt.in); got != tt.want {
				t.Errorf("Block(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestInline(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"escaped title", `Updated: Heatwave \*warning\* \[live\]`, "Updated: Heatwave *warning* [live]"},
		{"formatting stays", "**Most** _active_", "<strong>Most</strong> <em>active</em>"},
		{"no links in titles", "[a](https://x.example) https://y.example", "[a](https://x.example) https://y.example"},
		{"no blocks in titles", "# not a heading\n> not a quote", "# not a heading\n&gt; not a quote"},
		{"no HTML", "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Inline(tt.in); got != tt.want {
				t.Errorf("Inline(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestPreview(t *testing.T) {
	got := Preview("**Updated:** Heatwave warning\n> Update: The warning was raised to red", 43)
	want := "<strong>Updated:</strong> Heatwave warning &gt; Update: The…"
	if got != want {
		t.Errorf("Preview = %s, want %s", got, want)
	}
}

// TestBotOutput renders messages the way newsbot writes them and checks
// what a reader sees: the summary's credited points, the thread outline
// and an update's quoted paragraph.
func TestBotOutput(t *testing.T) {
	summary := "**10 comments** from **5 people**, over 2 hours (<t:1796533519:f> – <t:1796543599:f>).\n\n**Main points**\n" +
		"• “Seven to two is not exactly unanimous.” — **bob77**\n• “It's not either/or.” — **marta\\_k**"
	got := Block(summary)
	for _, want := range []string{"<strong>10 comments</strong>", `data-style="f"`, "— <strong>marta_k</strong>", "\n• “It&#39;s not either/or.”"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	outline := "**Thread of story 2:** [Heatwave warning](<http://127.0.0.1:8765/story/heatwave>) · 24 comments · page 1 of 2\n" +
		"`#1` **gardener59** <t:1796533519:R> — 38C in the valley again.\n\u2003↳ `#3` **gardener59** <t:1796537119:R> — @Theo\\_R they did"
	got = Block(outline)
	for _, want := range []string{`<a href="http://127.0.0.1:8765/story/heatwave"`, "<code>#1</code> <strong>gardener59</strong>", `data-style="R"`, "@Theo_R they did"} {
		if !strings.Contains(got, want) {
			t.Errorf("outline lacks %q:\n%s", want, got)
		}
	}
	update := "**Updated:** Heatwave warning issued\n> Update: The warning was raised to red for Saturday\\, when 40C is expected\\."
	if got, want := Block(update), "<strong>Updated:</strong> Heatwave warning issued\n<blockquote>Update: The warning was raised to red for Saturday, when 40C is expected.</blockquote>"; got != want {
		t.Errorf("update\n got %s\nwant %s", got, want)
	}
}
