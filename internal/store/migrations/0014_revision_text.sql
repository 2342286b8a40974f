-- A revision's normalised text is revision.Normalize of its body, and the
-- store now derives it when it reads a revision back (view.go): storing
-- it too doubled every revision row, which was most of the bytes a new
-- story wrote.
ALTER TABLE revisions DROP COLUMN text;
