"""The public side: fact-check pages anyone can read, and the desk's publish/unpublish actions."""
