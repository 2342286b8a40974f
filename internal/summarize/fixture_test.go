package summarize

import (
	"time"

	"github.com/newsbot-dev/newsbot/internal/news"
)

var fixtureStart = time.Date(2024, 5, 2, 18, 0, 0, 0, time.UTC)

// fixtureComment is a comment posted minutes after fixtureStart.
func fixtureComment(index int, author string, replyTo, minutes int, body string) news.Comment {
	return news.Comment{Index: index, Author: author, ReplyTo: replyTo,
		PostedAt: fixtureStart.Add(time.Duration(minutes) * time.Minute), Body: body}
}

// bikeLanes is a small news thread with a known shape: alice and bob argue
// over four turns (bob opens with "No"), carol answers bob with "What are
// you talking about?", comment 1 draws three replies, bob doubts without
// a cue word that frank's numbers transfer, and alice thanks erin.
func bikeLanes() Thread {
	c := fixtureComment
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

// footbridge is the playground's 10-comment story as the page parser
// reads it (replies as inferred from quotes and @-addresses): Halvard and
// Sunny_D argue over the cost without a cue word, bob77 asks a question
// marta_k answers and later thanks her, and marta_k's "It's not
// either/or." is too short to be a point.
func footbridge() Thread {
	c := fixtureComment
	return Thread{
		Title: "Riverside council approves new footbridge after three-year debate",
		Question: "The city council voted seven to two on Tuesday night to build a footbridge across the Alder river, " +
			"ending a debate that began when the old ferry stopped running three years ago.",
		Comments: []news.Comment{
			c(1, "marta_k", 0, 0, "Finally. My kids walk forty minutes to school because of that river. "+
				"Eighteen months is still a long time, but at least there's a date now."),
			c(2, "bob77", 0, 60, "Seven to two is not exactly unanimous. Who voted against, and why?\n\n"+
				"The article doesn't say, which is a bit odd for a local paper."),
			c(3, "marta_k", 2, 60, "@bob77 the two members from the east ward. They wanted the money spent on resurfacing Station Road first."),
			c(4, "Halvard", 0, 60, "14 million for a footbridge is a lot. The road bridge is right there. I'd rather see the buses run on time."),
			c(5, "Sunny_D", 4, 120, "\"14 million for a footbridge is a lot\"\n\n"+
				"Two thirds of it comes from the national cycling fund and can't be spent on buses anyway. The city is paying under 5 million."),
			c(6, "Halvard", 0, 120, "Fair point on the fund, I hadn't read that far. Still think the buses matter more."),
			c(7, "marta_k", 0, 122, "It's not either/or. The bridge takes cars off Station Road at school time, which is exactly what makes the buses late."),
			c(8, "trainspotter42", 0, 135, "As someone who commutes from Millfield: this will cut my walk to the station from 25 minutes to 8. Can't wait."),
			c(9, "bob77", 7, 150, "@ marta thanks, that makes sense. Resurfacing is overdue too though."),
			c(10, "Sunny_D", 0, 168, "Somebody should ask the council to publish the ward-by-ward traffic counts. That would settle the bus argument."),
		},
	}
}
