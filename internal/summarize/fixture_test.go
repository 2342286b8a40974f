package summarize

import (
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

var fixtureStart = time.Date(2024, 5, 2, 18, 0, 0, 0, time.UTC)

// bikeLanes is a small news thread with a known shape: alice and bob argue
// over four turns (bob opens with "No"), carol answers bob with "What are
// you talking about?", comment 1 draws three replies, and frank and bob
// exchange two calm turns that are no disagreement.
func bikeLanes() Thread {
	c := func(index int, author string, replyTo, minutes int, body string) news.Comment {
		return news.Comment{Index: index, Author: author, ReplyTo: replyTo,
			PostedAt: fixtureStart.Add(time.Duration(minutes) * time.Minute), Body: body}
	}
	return Thread{
		Title: "City council votes to add protected bike lanes on Main Street",
		Question: "The council approved protected bike lanes on Main Street on Tuesday, " +
			"removing forty parking spaces. Construction is planned for the spring.",
		Comments: []news.Comment{
			c(1, "alice", 0, 0, "Finally! Protected bike lanes on Main Street will make the commute safer for everyone. "+
				"The painted lanes we have now are ignored by delivery trucks every single day."),
			c(2, "bob", 1, 5, "No, this is a waste of money. Main Street businesses depend on parking, and the plan "+
				"removes forty parking spaces. Shops will lose customers."),
			c(3, "alice", 2, 9, "Actually the city study found most shoppers arrive on foot or by bus. "+
				"Parking was never the main source of customers for Main Street shops."),
			c(4, "bob", 3, 14, "But the study was paid for by the bike coalition. I don't trust it."),
			c(5, "carol", 1, 20, "I ride Main Street every day and the trucks parked in the bike lane are the worst part. "+
				"Protected lanes would fix that."),
			c(6, "dave", 0, 31, "How much will the project cost, and when does construction start? The article doesn't say."),
			c(7, "erin", 6, 40, "The council said construction starts in the spring and costs about 2.3 million dollars, "+
				"mostly from a state grant."),
			c(8, "carol", 2, 52, "What are you talking about? Forty parking spaces out of six hundred is nothing."),
			c(9, "frank", 1, 60, "Protected lanes worked well in Portland and Minneapolis. Injuries dropped after the lanes went in."),
			c(10, "alice", 7, 75, "Thanks, a state grant means the city budget is not touched."),
			c(11, "gina", 0, 90, "lol"),
			c(12, "bob", 9, 95, "Portland also has more rain than riders, so I doubt those numbers transfer to Main Street."),
		},
	}
}
