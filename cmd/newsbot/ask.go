package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/newsbot-dev/newsbot/internal/commands"
	"github.com/newsbot-dev/newsbot/internal/config"
	"github.com/newsbot-dev/newsbot/internal/ingest"
)

func init() {
	register(command{
		name:    "ask",
		usage:   "[--db PATH] [--config FILE] [--user-permissions N] [--focus OPTION] '/summarize story:1'",
		summary: "answer a slash command as the bot would and print the Discord message as JSON",
		run:     runAsk,
	})
}

// askAdmin is what the local operator counts as by default: Administrator.
const askAdmin = 0x8

// askMessage is the data of the answer: the message Discord would show.
type askMessage struct {
	Content         string                            `json:"content"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
	Components      []discordgo.MessageComponent      `json:"components"`
	Flags           discordgo.MessageFlags            `json:"flags"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
}

// askChoices is the answer to an autocomplete.
type askChoices struct {
	Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}

func runAsk(ctx context.Context, env *cmdEnv, args []string) error {
	fs := newFlagSet(env, "ask")
	dbPath := fs.String("db", "", "SQLite database `path` or postgres:// URL (default: the config's database, else newsbot.db)")
	cfgPath := fs.String("config", "", "configuration `file`, for /feeds and the summarizer")
	perms := fs.Int64("user-permissions", askAdmin, "Discord permission `bits` of the asking member; 8 is Administrator")
	focus := fs.String("focus", "", "answer the autocomplete of this `option` instead of running the command")
	if err := fs.Parse(args); err != nil {
		return err
	}
	line := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if line == "" {
		return fmt.Errorf("%w: give the command to ask, like '/summarize story:1'", errUsage)
	}
	h, closeAll, err := askHandler(ctx, *dbPath, *cfgPath, env)
	if err != nil {
		return err
	}
	defer closeAll()
	var i *discordgo.Interaction
	if *focus != "" {
		i, err = commands.ParseAutocomplete(h.Commands(), line, *focus)
	} else {
		i, err = commands.ParseCommandLine(h.Commands(), line)
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	i.ID, i.GuildID, i.ChannelID = "0", "0", "0"
	i.Member = &discordgo.Member{User: &discordgo.User{ID: "0", Username: "local"}, Permissions: *perms}
	resp, err := h.Respond(ctx, i)
	if err != nil {
		return err
	}
	return printAnswer(env, resp)
}

// askHandler builds the Handler the bot would run, over the database and
// (when given) the config.
func askHandler(ctx context.Context, dbPath, cfgPath string, env *cmdEnv) (*commands.Handler, func(), error) {
	var cfg *config.Config
	if cfgPath != "" {
		var err error
		if cfg, err = config.Load(cfgPath); err != nil {
			return nil, nil, err
		}
		if dbPath == "" {
			dbPath = cfg.Database
		}
	}
	if dbPath == "" {
		dbPath = "newsbot.db"
	}
	db, err := openExisting(ctx, dbPath)
	if err != nil {
		return nil, nil, err
	}
	h := &commands.Handler{Store: db, Log: slog.New(slog.NewTextHandler(env.stderr, nil))}
	if cfg != nil {
		h.Feeds = &configFeeds{cfg: func() *config.Config { return cfg }, db: db, fetcher: ingest.NewFetcher(cfg.Fetch)}
		h.Summarizer = abstractive(cfg)
	}
	return h, func() { db.Close() }, nil
}

// printAnswer prints the message data as the bot would send it: with
// allowed_mentions forced empty, as the bot forces it.
func printAnswer(env *cmdEnv, resp *discordgo.InteractionResponse) error {
	var v any = askMessage{}
	if d := resp.Data; d != nil {
		if resp.Type == discordgo.InteractionApplicationCommandAutocompleteResult {
			v = askChoices{Choices: d.Choices}
		} else {
			m := askMessage{Content: d.Content, Embeds: d.Embeds, Components: d.Components, Flags: d.Flags,
				AllowedMentions: &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}}
			// Lists print as [] rather than null, so scripts can count them.
			if m.Embeds == nil {
				m.Embeds = []*discordgo.MessageEmbed{}
			}
			if m.Components == nil {
				m.Components = []discordgo.MessageComponent{}
			}
			v = m
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := env.stdout.Write(buf.Bytes())
	return err
}
