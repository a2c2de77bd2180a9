"""The Scholars portal: persons, units, research outputs, public pages, researcher backend."""
