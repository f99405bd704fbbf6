import { DEFAULT_MODEL_V1 } from './model';
import { gradeDistribution, gradeOf, type Grade } from './grades';

describe('gradeOf with the plan cut-offs', () => {
  const sut = (total: number) => gradeOf(total, DEFAULT_MODEL_V1.grades);

  it.each<[number, Grade]>([
    [1000, 'A'],
    [850, 'A'],
    [849, 'B'],
    [790, 'B'],
    [789, 'C'],
    [730, 'C'],
    [729, 'D'],
    [670, 'D'],
    [669, 'E'],
    [0, 'E'],
  ])('grades %d as %s', (total, grade) => {
    expect(sut(total)).toBe(grade);
  });
});

describe('gradeDistribution', () => {
  it('counts every grade, with zero for the grades nobody has', () => {
    const evaluations = [{ grade: 'A' as const }, { grade: 'C' as const }, { grade: 'A' as const }];

    expect(gradeDistribution(evaluations)).toEqual({ A: 2, B: 0, C: 1, D: 0, E: 0 });
  });

  it('accepts any iterable, such as a generator over a population', () => {
    function* population(): Generator<{ grade: Grade }> {
      yield { grade: 'E' };
      yield { grade: 'E' };
    }

    expect(gradeDistribution(population())).toEqual({ A: 0, B: 0, C: 0, D: 0, E: 2 });
  });
});
