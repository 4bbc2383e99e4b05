"""Text processing shared by both languages: normalization, tokens, sentences."""
