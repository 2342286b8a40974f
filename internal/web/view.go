package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/newsbot-dev/newsbot/emulator"
	"github.com/newsbot-dev/newsbot/internal/discordmd"
)

// The page draws views: Discord's JSON with every piece of markdown
// already rendered to safe HTML (fields named html or *_html) and every
// other string meant for textContent. The page never parses markdown and
// never puts a plain string into innerHTML.

type userView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Bot  bool   `json:"bot,omitempty"`
}

type messageView struct {
	ID        string          `json:"id"`
	ChannelID string          `json:"channel_id"`
	Type      int             `json:"type"`
	Author    userView        `json:"author"`
	Timestamp string          `json:"timestamp"`
	Edited    string          `json:"edited,omitempty"` // when it was last edited
	HTML      string          `json:"html"`
	Embeds    []embedView     `json:"embeds"`
	Rows      [][]buttonView  `json:"rows"`
	Reply     *replyView      `json:"reply,omitempty"`
	Command   *commandUseView `json:"command,omitempty"`
	Ephemeral bool            `json:"ephemeral,omitempty"`
	Loading   bool            `json:"loading,omitempty"`
	ThreadID  string          `json:"thread_id,omitempty"`
}

// replyView is the line above a reply: who it answers and what they said.
type replyView struct {
	ID     string    `json:"id"`
	Author *userView `json:"author,omitempty"` // nil: the message is gone
	HTML   string    `json:"html"`
}

// commandUseView is the "admin used /summarize" line above an answer.
type commandUseView struct {
	User userView `json:"user"`
	Name string   `json:"name"`
}

type embedView struct {
	Color     string      `json:"color,omitempty"` // "#rrggbb"
	Author    string      `json:"author,omitempty"`
	AuthorURL string      `json:"author_url,omitempty"`
	TitleHTML string      `json:"title_html,omitempty"`
	URL       string      `json:"url,omitempty"`
	HTML      string      `json:"html,omitempty"` // the description
	Fields    []fieldView `json:"fields,omitempty"`
	Footer    string      `json:"footer,omitempty"`
	Timestamp string      `json:"timestamp,omitempty"`
	Image     string      `json:"image,omitempty"`
	Thumbnail string      `json:"thumbnail,omitempty"`
}

type fieldView struct {
	NameHTML string `json:"name_html"`
	HTML     string `json:"html"`
	Inline   bool   `json:"inline,omitempty"`
}

// buttonView is one component of an action row; select menus come out
// as disabled buttons naming their placeholder.
type buttonView struct {
	Style    int    `json:"style"`
	Label    string `json:"label"`
	Emoji    string `json:"emoji,omitempty"`
	CustomID string `json:"custom_id,omitempty"`
	URL      string `json:"url,omitempty"`
	Disabled bool   `json:"disabled,omitempty"`
}

type channelView struct {
	ID       string `json:"id"`
	Type     int    `json:"type"`
	Name     string `json:"name"`
	ParentID string `json:"parent_id,omitempty"`
	Topic    string `json:"topic,omitempty"`
	Position int    `json:"position"`
}

func viewUser(u emulator.User) userView {
	name := u.Username
	if u.GlobalName != nil && *u.GlobalName != "" {
		name = *u.GlobalName
	}
	return userView{ID: u.ID, Name: name, Bot: u.Bot}
}

func viewChannel(c emulator.Channel) channelView {
	return channelView{ID: c.ID, Type: c.Type, Name: c.Name, ParentID: c.ParentID, Topic: c.Topic, Position: c.Position}
}

// previewLength is how much of a replied-to message the reply line shows.
const previewLength = 120

func viewMessage(m emulator.Message) messageView {
	v := messageView{
		ID: m.ID, ChannelID: m.ChannelID, Type: m.Type, Author: viewUser(m.Author), Timestamp: m.Timestamp,
		HTML: discordmd.Block(m.Content), Embeds: []embedView{}, Rows: viewComponents(m.Components),
		Ephemeral: m.Flags&emulator.FlagEphemeral != 0, Loading: m.Flags&emulator.FlagLoading != 0,
	}
	if m.EditedTimestamp != nil {
		v.Edited = *m.EditedTimestamp
	}
	if m.Flags&emulator.FlagSuppressEmbeds == 0 {
		for _, e := range m.Embeds {
			v.Embeds = append(v.Embeds, viewEmbed(e))
		}
	}
	if m.MessageReference != nil && m.MessageReference.MessageID != "" && m.Type == 19 {
		v.Reply = &replyView{ID: m.MessageReference.MessageID, HTML: "Original message was deleted"}
		if r := m.ReferencedMessage; r != nil {
			a := viewUser(r.Author)
			v.Reply.Author = &a
			v.Reply.HTML = discordmd.Preview(previewText(*r), previewLength)
		}
	}
	if im := m.InteractionMetadata; im != nil && im.Name != "" {
		v.Command = &commandUseView{User: viewUser(im.User), Name: im.Name}
	}
	if m.Thread != nil {
		v.ThreadID = m.Thread.ID
	}
	return v
}

// previewText is what a reply line quotes: the content, else the first
// embed's title, as Discord's client does.
func previewText(m emulator.Message) string {
	if strings.TrimSpace(m.Content) != "" {
		return m.Content
	}
	for _, e := range m.Embeds {
		if e.Title != "" {
			return e.Title
		}
		if e.Description != "" {
			return e.Description
		}
	}
	return "Click to see attachment"
}

func viewEmbed(e emulator.Embed) embedView {
	v := embedView{
		TitleHTML: discordmd.Inline(e.Title), URL: safeURL(e.URL), HTML: discordmd.Block(e.Description),
		Timestamp: e.Timestamp,
	}
	if e.Color != 0 {
		v.Color = fmt.Sprintf("#%06x", e.Color&0xFFFFFF)
	}
	if e.Author != nil {
		v.Author, v.AuthorURL = e.Author.Name, safeURL(e.Author.URL)
	}
	for _, f := range e.Fields {
		v.Fields = append(v.Fields, fieldView{NameHTML: discordmd.Inline(f.Name), HTML: discordmd.Block(f.Value), Inline: f.Inline})
	}
	if e.Footer != nil {
		v.Footer = e.Footer.Text
	}
	if e.Image != nil {
		v.Image = safeURL(e.Image.URL)
	}
	if e.Thumbnail != nil {
		v.Thumbnail = safeURL(e.Thumbnail.URL)
	}
	return v
}

// safeURL keeps absolute http(s) URLs and drops anything else (javascript:,
// data:, relative paths), so no link on the page can run code.
func safeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// component is the part of Discord's component JSON the page draws.
type component struct {
	Type        int                    `json:"type"`
	Style       int                    `json:"style"`
	Label       string                 `json:"label"`
	CustomID    string                 `json:"custom_id"`
	URL         string                 `json:"url"`
	Disabled    bool                   `json:"disabled"`
	Placeholder string                 `json:"placeholder"`
	Emoji       *struct{ Name string } `json:"emoji"`
	Components  []component            `json:"components"`
}

// Component types and the link button style.
const (
	componentRow    = 1
	componentButton = 2
	buttonLink      = 5
)

func viewComponents(raw []json.RawMessage) [][]buttonView {
	rows := [][]buttonView{}
	for _, r := range raw {
		var row component
		if json.Unmarshal(r, &row) != nil || row.Type != componentRow {
			continue
		}
		var out []buttonView
		for _, c := range row.Components {
			b := buttonView{Style: c.Style, Label: c.Label, CustomID: c.CustomID, Disabled: c.Disabled}
			if c.Emoji != nil {
				b.Emoji = c.Emoji.Name
			}
			switch {
			case c.Type != componentButton:
				b.Label, b.Style, b.Disabled, b.CustomID = c.Placeholder, 2, true, ""
				if b.Label == "" {
					b.Label = "Make a selection"
				}
			case c.Style == buttonLink:
				b.URL, b.CustomID = safeURL(c.URL), ""
				b.Disabled = b.Disabled || b.URL == ""
			}
			out = append(out, b)
		}
		if len(out) > 0 {
			rows = append(rows, out)
		}
	}
	return rows
}
