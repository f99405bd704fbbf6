export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

/** Lowest total of each grade; E is everything below D. The plan fixes A 850, B 790, C 730, D 670. */
export interface GradeCutoffs {
  A: number;
  B: number;
  C: number;
  D: number;
}

/** A cut-off is inclusive: with A at 850, 850 is A and 849 is B. */
export function gradeOf(total: number, cutoffs: GradeCutoffs): Grade {
  if (total >= cutoffs.A) return 'A';
  if (total >= cutoffs.B) return 'B';
  if (total >= cutoffs.C) return 'C';
  if (total >= cutoffs.D) return 'D';
  return 'E';
}

export type GradeDistribution = Record<Grade, number>;

/** Counts per grade, every grade present (zero when none): the impact preview's before/after bars. */
export function gradeDistribution(evaluations: Iterable<{ readonly grade: Grade }>): GradeDistribution {
  const counts: GradeDistribution = { A: 0, B: 0, C: 0, D: 0, E: 0 };
  for (const evaluation of evaluations) counts[evaluation.grade] += 1;
  return counts;
}
