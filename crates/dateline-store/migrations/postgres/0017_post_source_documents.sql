-- The Lexical or Mobiledoc document a post was written in, kept as the client sent it so Ghost's
-- editor and migration tools read back what they wrote (at most one is set; both are NULL for a
-- post written in Markdown or HTML, or once its body is edited in another form).
ALTER TABLE posts ADD COLUMN lexical TEXT;
ALTER TABLE posts ADD COLUMN mobiledoc TEXT;
