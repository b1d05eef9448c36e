"""The one way the product writes CSV: every cell a spreadsheet would run as a formula is
neutralised, so a file downloaded from the site is safe to open.

A cell that starts with ``=``, ``+``, ``-``, ``@``, ``|`` or ``%`` is written with a single quote in
front (and any ``|`` in it as ``\\|``), as the maintained `defusedcsv` library does; a plain number
such as ``-12.5`` or ``1,234`` stays as it is, and so do ints and floats. defusedcsv leaves a cell
starting with a tab or a carriage return alone, and some spreadsheets skip those before reading a
formula, so such a cell gets the quote here first.

Readers stay with the standard ``csv`` module. Where the site reads back a file it wrote (the
register's transparency records), ``restore()`` undoes the quoting so an exported record imported
again comes back as it was.

Every app may import this module: `juries` is the bottom of the dependency order.
"""

from defusedcsv import csv as defused

# What defusedcsv quotes, and the two whitespace characters it does not.
_FORMULA_STARTS = ("=", "+", "-", "@", "|", "%")
_WHITESPACE_STARTS = ("\t", "\r")


class _Writer:
    """A csv writer whose every row goes through defusedcsv, with tabs and returns quoted too."""

    def __init__(self, out, **fmtparams):
        self._writer = defused.writer(out, **fmtparams)

    def writerow(self, row):
        return self._writer.writerow([_quote_whitespace(cell) for cell in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out, **fmtparams):
    """A ``csv.writer`` for ``out`` (same arguments) that writes no cell a spreadsheet would run."""
    return _Writer(out, **fmtparams)


def _quote_whitespace(cell):
    if isinstance(cell, str) and cell.startswith(_WHITESPACE_STARTS):
        return "'" + cell
    return cell


def restore(cell):
    """A cell as it was before `writer()` neutralised it; any other cell unchanged.

    Only a quote followed by a character that triggers quoting is taken off, so text that merely
    starts with a quote (“'Tis”) is kept. A record written elsewhere with such a cell on purpose
    would lose its quote; that is the price of a lossless round trip for our own files.
    """
    if not cell.startswith("'") or len(cell) < 2:
        return cell
    rest = cell[1:]
    if rest.startswith(_WHITESPACE_STARTS):
        return rest
    unescaped = rest.replace("\\|", "|")
    return unescaped if unescaped.startswith(_FORMULA_STARTS) else cell
