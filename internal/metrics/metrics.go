// Package metrics is what an operator sees of the running bot: Prometheus
// counters the stages report to through small interfaces (so none of them
// imports Prometheus), and the HTTP handler that serves them at /metrics
// beside /healthz.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

const namespace = "newsbot"

// Metrics holds the bot's collectors on a registry of its own, so two
// bots in one process (tests) never share counters. The zero value is
// not usable; call New. A nil *Metrics ignores every report, so callers
// need no checks when metrics are off.
type Metrics struct {
	reg *prometheus.Registry

	polls      *prometheus.CounterVec
	fetches    *prometheus.HistogramVec
	stories    *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	limited    prometheus.Counter
	commands   *prometheus.HistogramVec
	reconnects prometheus.Counter
}

// Build names the running binary in newsbot_build_info.
type Build struct {
	Version, Revision string
}

// Backlog reads how much the outbox owes Discord, at scrape time.
type Backlog func(ctx context.Context) (pending int, oldest time.Time, err error)

// Gateway reads how many of the gateway sessions (shards) this process
// holds are connected, at scrape time.
type Gateway func() (connected, held int)

// New returns the collectors, registered with the Go runtime's and the
// process's own. backlog and gateway may be nil.
func New(b Build, backlog Backlog, gateway Gateway) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.polls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "polls_total",
		Help: "Feed polls by feed and outcome: ok, not_modified, skipped (backing off) or error.",
	}, []string{"feed", "outcome"})
	m.fetches = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "fetch_duration_seconds",
		Help:    "Time to fetch one document: a feed, or a comment source's answer; outcome ok or error.",
		Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 20},
	}, []string{"target", "outcome"})
	m.stories = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "stories_total",
		Help: "Stories polls found new or updated, by feed.",
	}, []string{"feed", "change"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "deliveries_total",
		Help: "Outbox deliveries by kind (new, updated, notice, comments) and result: sent, retried or failed (given up).",
	}, []string{"kind", "result"})
	m.limited = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "discord_rate_limited_total",
		Help: "HTTP 429 answers received from Discord.",
	})
	m.commands = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "command_duration_seconds",
		Help:    "Time to answer an interaction, by command and type (command, autocomplete, component).",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5},
	}, []string{"command", "type"})
	m.reconnects = prometheus.NewCounter(prometheus.CounterOpts{
		Namespace: namespace, Name: "gateway_reconnects_total",
		Help: "Gateway connections opened after start: each is a reconnect or resume of a shard.",
	})
	info := prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info", Help: "The running binary: always 1.",
		ConstLabels: prometheus.Labels{"version": b.Version, "revision": b.Revision},
	})
	info.Set(1)
	m.reg.MustRegister(m.polls, m.fetches, m.stories, m.deliveries, m.limited, m.commands, m.reconnects, info,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if backlog != nil {
		m.reg.MustRegister(&backlogCollector{read: backlog})
	}
	if gateway != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Namespace: namespace, Name: "gateway_connected",
			Help: "Gateway sessions (shards) of this process that are connected; equal to newsbot_gateway_shards when all is well.",
		}, func() float64 { up, _ := gateway(); return float64(up) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Namespace: namespace, Name: "gateway_shards",
				Help: "Gateway sessions (shards) this process holds.",
			}, func() float64 { _, held := gateway(); return float64(held) }))
	}
	return m
}

// Poll counts one feed poll and the stories it brought.
func (m *Metrics) Poll(feed, outcome string, newStories, updated int) {
	if m == nil {
		return
	}
	m.polls.WithLabelValues(feed, outcome).Inc()
	if newStories > 0 {
		m.stories.WithLabelValues(feed, "new").Add(float64(newStories))
	}
	if updated > 0 {
		m.stories.WithLabelValues(feed, "updated").Add(float64(updated))
	}
}

// Fetch times one fetch; target is "feed" or "comments".
func (m *Metrics) Fetch(target string, took time.Duration, err error) {
	if m == nil {
		return
	}
	m.fetches.WithLabelValues(target, outcome(err)).Observe(took.Seconds())
}

// Delivery counts one delivery's result: sent, retried or failed.
func (m *Metrics) Delivery(kind, result string) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues(kind, result).Inc()
}

// RateLimited counts a 429 from Discord.
func (m *Metrics) RateLimited() {
	if m != nil {
		m.limited.Inc()
	}
}

// Command times one interaction's answer.
func (m *Metrics) Command(name, typ string, took time.Duration) {
	if m != nil {
		m.commands.WithLabelValues(name, typ).Observe(took.Seconds())
	}
}

// GatewayReconnected counts a gateway session connecting again after start.
func (m *Metrics) GatewayReconnected() {
	if m != nil {
		m.reconnects.Inc()
	}
}

// Handler serves the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttpHandler(m.reg)
}

func outcome(err error) string {
	if err != nil {
		return "error"
	}
	return "ok"
}

// backlogCollector reads the outbox backlog once per scrape, for both of
// its gauges.
type backlogCollector struct {
	read Backlog
}

var (
	pendingDesc = prometheus.NewDesc(namespace+"_outbox_pending", "Deliveries waiting to be sent.", nil, nil)
	ageDesc     = prometheus.NewDesc(namespace+"_outbox_oldest_age_seconds",
		"Age of the oldest delivery waiting to be sent; 0 when none waits.", nil, nil)
	scrapeErrDesc = prometheus.NewDesc(namespace+"_outbox_read_errors",
		"1 when the outbox backlog could not be read at this scrape.", nil, nil)
)

func (c *backlogCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- pendingDesc
	ch <- ageDesc
	ch <- scrapeErrDesc
}

func (c *backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, oldest, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, 1)
		return
	}
	age := 0.0
	if n > 0 && !oldest.IsZero() {
		age = max(time.Since(oldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(pendingDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(ageDesc, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(scrapeErrDesc, prometheus.GaugeValue, 0)
}
