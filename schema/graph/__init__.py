"""The property graph: District → Street → Community → Project → Building → Unit → Owner."""
