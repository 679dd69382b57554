"""Pure decisions of the helpline: standard library only (a unit test enforces it)."""
