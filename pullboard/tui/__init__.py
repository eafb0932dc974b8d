"""The Textual board. The only package that imports textual."""
