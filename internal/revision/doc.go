// Package revision decides whether two copies of a news story are the same
// story and what changed between them.
//
// It is pure: no I/O, no clock, no randomness. The store calls it to find
// the story an incoming article belongs to (CanonicalURL, TitleKey,
// SameStory), to decide whether the content really changed (Normalize,
// Hash, TitleChanged) and to describe the change (Diff). What counts as a
// change is the reader's view: whitespace, tracking parameters in links,
// comment counts, "Advertisement" lines and "(updated)" markers are not
// news; a new paragraph is.
package revision
