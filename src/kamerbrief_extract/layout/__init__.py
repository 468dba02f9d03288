"""Layout: from lines (with or without geometry) to the blocks of a Document."""
