"""Nearest text neighbours and exact row dot products of sparse TF-IDF matrices, vectorised.

The similarity product is computed block by block of rows, and the top ``k``
of each row are picked with one ``argpartition`` over the block; ties are
broken by the lower column index, so the result is deterministic. Candidate
search may leave out the most common terms (see :func:`without_common_terms`):
they make up most of the product's work and almost nothing of the ranking.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

BLOCK_ROWS = 512  # rows of the similarity product computed at once (memory ~ rows x row nnz)
DOT_BUFFER = 1 << 19  # entries of row_dots' dense buffer at least (4 MB)
DOT_BLOCK_ROWS = 16  # rows scattered at once by row_dots (a cache-sized buffer; 16 was fastest)


def top_k_per_row(values: np.ndarray, columns: np.ndarray,
                  k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest positive values of each row, best first, ties by the lower column.

    ``values`` and ``columns`` are 2-D and aligned (``columns`` names the
    column of each value; the columns of a row are distinct). Returns
    ``(vals, cols)`` of shape ``(rows, min(k, width))``, where a slot with
    ``vals <= 0`` is empty (fewer than ``k`` positive values). Fastest when
    the non-positive entries are distinct, as ``argpartition`` slows on many
    equal values.
    """
    m, width = values.shape
    if width > k:
        part = np.argpartition(values, width - k, axis=1)[:, width - k :]
        vals = np.take_along_axis(values, part, axis=1)
        cols = np.take_along_axis(columns, part, axis=1)
        kth = vals.min(axis=1)
        # rows whose k-th value ties with values left out: pick the lower columns among them
        tied = kth > 0
        tied[tied] = ((values[tied] == kth[tied, None]).sum(axis=1)
                      > (vals[tied] == kth[tied, None]).sum(axis=1))
        if tied.any():
            _pick_lowest_among_ties(values, columns, kth, np.flatnonzero(tied), vals, cols)
    else:
        vals, cols = values.copy(), columns.copy()
    order = np.lexsort((cols, -vals), axis=1)
    return np.take_along_axis(vals, order, axis=1), np.take_along_axis(cols, order, axis=1)


def _pick_lowest_among_ties(values: np.ndarray, columns: np.ndarray, kth: np.ndarray,
                            rows: np.ndarray, vals: np.ndarray, cols: np.ndarray) -> None:
    """Refill ``vals``/``cols`` of ``rows`` with their top values by (-value, column), in place.

    Only the entries at least the row's k-th value compete, so each row has at
    least ``k`` of them; all rows are sorted at once.
    """
    k = vals.shape[1]
    sub = values[rows]
    r, c = np.nonzero(sub >= kth[rows, None])
    v, col = sub[r, c], columns[rows][r, c]
    order = np.lexsort((col, -v, r))
    r, v, col = r[order], v[order], col[order]
    rank = np.arange(len(r)) - np.searchsorted(r, r)  # position within its row
    keep = rank < k
    vals[rows[r[keep]], rank[keep]] = v[keep]
    cols[rows[r[keep]], rank[keep]] = col[keep]


def without_common_terms(x: sp.csr_matrix, max_df: int) -> sp.csr_matrix:
    """``x`` without the columns of terms found in more than ``max_df`` rows (not renormalised)."""
    df = np.bincount(x.indices, minlength=x.shape[1])
    keep = (df <= max_df)[x.indices]
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))[keep]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=x.shape[0]))))
    return sp.csr_matrix((x.data[keep], x.indices[keep], indptr), shape=x.shape)


def neighbour_lists(x: sp.csr_matrix, k: int,
                    block_rows: int = BLOCK_ROWS) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` most similar other rows by ``x @ x.T``: ``(scores, columns)``, rows x k.

    Best first, ties by the lower index; a slot with score ``<= 0`` is empty.
    Memory is bounded by one block of ``block_rows`` rows of the product.
    """
    n = x.shape[0]
    xt = x.T.tocsr()
    scores = np.zeros((n, k))
    columns = np.zeros((n, k), dtype=np.int64)
    for start in range(0, n, block_rows):
        product = (x[start : start + block_rows] @ xt).tocsr()
        m = product.shape[0]
        counts = np.diff(product.indptr)
        rows = np.repeat(np.arange(m), counts)
        slot = np.arange(product.nnz) - np.repeat(product.indptr[:-1], counts)
        width = max(int(counts.max(initial=0)), k + 1)
        values = np.empty((m, width))
        values[:] = -1.0 - np.arange(width)  # absent: distinct and below any similarity
        cols = np.full((m, width), -1, dtype=np.int64)
        data = np.where(product.indices == start + rows, 0.0, product.data)  # not itself
        values[rows, slot] = data
        cols[rows, slot] = product.indices
        vals, best = top_k_per_row(values, cols, k)
        scores[start : start + m] = vals[:, :k]
        columns[start : start + m] = best[:, :k]
    return scores, columns


def row_dots(x: sp.csr_matrix, left: np.ndarray, right: np.ndarray,
             block_rows: int = DOT_BLOCK_ROWS) -> np.ndarray:
    """Dot products of rows ``left[p]`` and ``right[p]`` of ``x``; ``left`` must be ascending.

    A few left rows at a time are scattered into a dense buffer, and each
    right row's entries are looked up in it: the cost is the right rows'
    entries, with no copy of the matrix rows.
    """
    n_cols = x.shape[1]
    block_rows = max(block_rows, DOT_BUFFER // max(n_cols, 1))  # fewer, larger blocks if narrow
    out = np.zeros(len(left))
    buffer = np.zeros(block_rows * n_cols)
    lengths = np.diff(x.indptr)
    indices = x.indices.astype(np.int64)
    bounds = np.searchsorted(left, np.arange(0, x.shape[0] + block_rows, block_rows))
    for b, start in enumerate(range(0, x.shape[0], block_rows)):
        lo, hi = bounds[b], bounds[b + 1]
        if lo == hi:
            continue
        a, z = x.indptr[start], x.indptr[min(start + block_rows, x.shape[0])]
        own = np.repeat(np.arange(min(block_rows, x.shape[0] - start)),
                        lengths[start : start + block_rows]) * n_cols + indices[a:z]
        buffer[own] = x.data[a:z]
        ln = lengths[right[lo:hi]]
        total = int(ln.sum())
        if total:
            offsets = np.concatenate(([0], np.cumsum(ln)[:-1]))
            entry = np.repeat(x.indptr[right[lo:hi]] - offsets, ln) + np.arange(total)
            flat = np.repeat((left[lo:hi] - start) * n_cols, ln) + indices[entry]
            filled = ln > 0  # reduceat needs the non-empty segments' starts only
            out[lo:hi][filled] = np.add.reduceat(buffer[flat] * x.data[entry], offsets[filled])
        buffer[own] = 0.0
    return out
