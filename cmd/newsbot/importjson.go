package main

import (
	"fmt"
	"io"

	"github.com/newsbot-dev/newsbot/internal/english"
	"github.com/newsbot-dev/newsbot/internal/feed/comments"
	"github.com/newsbot-dev/newsbot/internal/news"
)

// jsonArticles reads the JSON documents import takes as stories with their
// threads: a Reddit /comments response, a Hacker News item or item tree,
// and JSON lines of threads, recognised by content. Anything else is an
// error naming the formats it could have been. Notes about what a file
// lacks go to notes.
func jsonArticles(file string, data []byte, notes io.Writer) ([]news.Article, error) {
	format := comments.SniffJSON(data)
	var as []news.Article
	var err error
	switch format {
	case comments.JSONRedditThread:
		var a news.Article
		var st comments.Stats
		a, st, err = comments.ParseRedditPost(data, 0)
		if err == nil && st.More > 0 {
			fmt.Fprintf(notes, "newsbot import: %s: %s of the thread (Reddit's \"load more\" stubs) are not in the file\n",
				file, english.Plural(st.More, "more comment"))
		}
		as = []news.Article{a}
	case comments.JSONHNItem:
		var a news.Article
		var st comments.Stats
		a, st, err = comments.ParseHNItem(data, 0)
		if err == nil && st.Unfetched > 0 {
			fmt.Fprintf(notes, "newsbot import: %s: the item names %s only by id; a feed with comments: {source: hackernews} fetches them\n",
				file, english.Plural(st.Unfetched, "reply"))
		}
		as = []news.Article{a}
	case comments.JSONThreadLines:
		as, err = comments.ParseThreadLines(data, 0)
	case comments.JSONRedditListing:
		return nil, fmt.Errorf("%s: a Reddit comment listing without its post: save the whole /comments/<id>.json response, which starts with the post", file)
	default:
		return nil, fmt.Errorf("%s: JSON that import does not read; it expects %s", file, comments.ExpectedJSON)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err) // each parser names its format
	}
	return as, nil
}
