#!/usr/bin/env python3
"""Derives the matrices of Winograd's F(m×m, 4×4) used by Sources/NN/WinogradTransform.swift.

Toom-Cook at finite points p_0..p_{α-2} and ∞ (α = m + 3):
  Aᵀ (m×α)  evaluates at the points: Aᵀ[i][j] = p_j^i, the column for ∞ is (0, …, 0, 1);
  G  (α×4)  evaluates the kernel: G[j][k] = p_j^k / Π_{l≠j}(p_j − p_l), the row for ∞ is (0, 0, 0, 1);
  Bᵀ (α×α)  is what makes y_i = Σ_k d_{i+k} g_k = Σ_ξ Aᵀ[i][ξ] (G g)_ξ (Bᵀ d)_ξ hold for every d and g,
            solved here exactly over the rationals.
Prints the three matrices for each variant; standard library only.
"""
from fractions import Fraction


def evaluation_matrices(m, points):
    alpha = len(points) + 1
    a_t = [[Fraction(p) ** i for p in points] + [Fraction(int(i == m - 1))] for i in range(m)]
    g = []
    for j, p in enumerate(points):
        scale = Fraction(1)
        for l, q in enumerate(points):
            if l != j:
                scale *= Fraction(p) - Fraction(q)
        g.append([Fraction(p) ** k / scale for k in range(4)])
    g.append([Fraction(int(k == 3)) for k in range(4)])
    return a_t, g, alpha


def solve_exactly(rows, rhs):
    """Least-squares-free solve of an overdetermined but consistent system (Gauss-Jordan)."""
    a = [row[:] + [b] for row, b in zip(rows, rhs)]
    n = len(rows[0])
    pivot_row = 0
    pivots = []
    for col in range(n):
        pick = next((r for r in range(pivot_row, len(a)) if a[r][col] != 0), None)
        if pick is None:
            continue
        a[pivot_row], a[pick] = a[pick], a[pivot_row]
        lead = a[pivot_row][col]
        a[pivot_row] = [v / lead for v in a[pivot_row]]
        for r in range(len(a)):
            if r != pivot_row and a[r][col] != 0:
                factor = a[r][col]
                a[r] = [v - factor * w for v, w in zip(a[r], a[pivot_row])]
        pivots.append(col)
        pivot_row += 1
    assert all(all(v == 0 for v in row) for row in a[pivot_row:]), "inconsistent system"
    solution = [Fraction(0)] * n
    for r, col in enumerate(pivots):
        solution[col] = a[r][n]
    return solution


def input_transform(m, a_t, g, alpha):
    rows = [[a_t[i][x] * g[x][k] for x in range(alpha)] for i in range(m) for k in range(4)]
    b_t = [[Fraction(0)] * alpha for _ in range(alpha)]
    for l in range(alpha):
        rhs = [Fraction(int(l == i + k)) for i in range(m) for k in range(4)]
        column = solve_exactly(rows, rhs)
        for x in range(alpha):
            b_t[x][l] = column[x]
    return b_t


def show(name, matrix):
    print(f"  {name}:")
    for row in matrix:
        print("    [" + ", ".join(str(v) for v in row) + "]")


for m, points in [(2, [0, 1, -1, Fraction(1, 2)]), (3, [0, 1, -1, 2, -2])]:
    a_t, g, alpha = evaluation_matrices(m, points)
    b_t = input_transform(m, a_t, g, alpha)
    print(f"F({m}x{m}, 4x4) at points {', '.join(str(p) for p in points)} and infinity")
    show("Aᵀ", a_t)
    show("G", g)
    show("Bᵀ", b_t)
