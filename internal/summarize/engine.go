package summarize

import "context"

// Engine names what produced a summary.
type Engine string

const (
	EngineExtractive  Engine = "extractive"
	EngineAbstractive Engine = "abstractive"
)

// Result is a summary and where it came from.
type Result struct {
	Engine Engine
	Text   string
	Points []Point // the extracts behind Text; nil for an abstractive summary
	// Fallback says why the abstractive engine, though configured, was not
	// used (its error, key-free); "" when it was used or not configured.
	Fallback string
}

// Summarize returns the abstractive summary when a is configured and
// answers well, and the extractive summary otherwise: on error, timeout,
// an empty or refused answer, or no configuration at all.
func Summarize(ctx context.Context, t Thread, l Length, a *Abstractive) Result {
	if a.Configured() {
		text, err := a.Summarize(ctx, t, l)
		if err == nil {
			return Result{Engine: EngineAbstractive, Text: text}
		}
		r := extractive(t, l)
		r.Fallback = err.Error()
		return r
	}
	return extractive(t, l)
}

func extractive(t Thread, l Length) Result {
	points := Extract(t, l.Words())
	return Result{Engine: EngineExtractive, Text: Text(points, l.Words()), Points: points}
}
