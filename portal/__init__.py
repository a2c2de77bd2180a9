"""The Scholars portal: persons, research units, research outputs, public pages, researcher backend."""
