"""To-dos and notifications: rows that belong to a person or a level, not a subtree."""
