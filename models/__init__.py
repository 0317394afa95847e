"""Linguistic data of targetex (lexicons, unit and cue tables, jieba user dictionary).

This folder is data, not code: it is installed as the package ``targetex.models`` so that
``importlib.resources`` finds it in wheels and editable installs alike.  See README.md.
"""
