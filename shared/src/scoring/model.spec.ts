import { AppError } from '../errors';
import { compileModel } from './engine';
import { DEFAULT_MODEL_V1, parseModel, validateModel, type IndicatorDefinition, type ModelDefinition } from './model';

/** A copy of v1 with one change applied. */
function modelWith(change: (model: ModelDefinition) => void): ModelDefinition {
  const model = structuredClone(DEFAULT_MODEL_V1);
  change(model);
  return model;
}

function indicator(model: ModelDefinition, code: string): IndicatorDefinition {
  const found = model.indicators.find((i) => i.code === code);
  if (found === undefined) throw new Error(`no indicator ${code}`);
  return found;
}

const sut = validateModel;

describe('DEFAULT_MODEL_V1', () => {
  it('is valid', () => {
    expect(sut(DEFAULT_MODEL_V1)).toEqual([]);
  });

  it('has the plan groups 60 / 790 / 150', () => {
    expect(DEFAULT_MODEL_V1.groups.map((g) => [g.code, g.name, g.max])).toEqual([
      ['B', '基本情况', 60],
      ['O', '经营状况', 790],
      ['S', '社会责任', 150],
    ]);
  });

  it('has the sixteen indicators of the SCORING.md table with their maxima', () => {
    expect(DEFAULT_MODEL_V1.indicators.map((i) => `${i.code}${i.direction}${i.max}`)).toEqual([
      'B01+20',
      'B02+10',
      'B03+15',
      'B04-15',
      'O01+150',
      'O02-150',
      'O03-80',
      'O04-120',
      'O05-100',
      'O06-60',
      'O07-70',
      'O08+60',
      'S01+50',
      'S02+40',
      'S03+20',
      'S04-40',
    ]);
  });

  it('sums its indicator maxima exactly to each group max', () => {
    const sums = new Map<string, number>();
    for (const i of DEFAULT_MODEL_V1.indicators) sums.set(i.group, (sums.get(i.group) ?? 0) + i.max);

    expect(Object.fromEntries(sums)).toEqual({ B: 60, O: 790, S: 150 });
  });

  it('has the plan grade cut-offs and the 国办发〔2025〕22号 publicity periods', () => {
    expect(DEFAULT_MODEL_V1.grades).toEqual({ A: 850, B: 790, C: 730, D: 670 });
    expect(DEFAULT_MODEL_V1.decay).toEqual({
      minor: { fullMonths: 0, zeroMonths: 3 },
      general: { fullMonths: 3, zeroMonths: 12 },
      serious: { fullMonths: 12, zeroMonths: 36 },
    });
  });
});

describe('validateModel failures', () => {
  it('rejects group maxima that do not sum to 1000', () => {
    const model = modelWith((m) => {
      (m.groups[2] as ModelDefinition['groups'][number]).max = 140;
    });

    expect(sut(model)).toContainEqual({ path: 'groups', message: '一级指标满分合计须为 1000，当前为 990' });
  });

  it('rejects an indicator with max 0', () => {
    const model = modelWith((m) => {
      indicator(m, 'B04').max = 0;
    });

    expect(sut(model)).toContainEqual({ path: 'indicators.3.max', message: '二级指标满分须大于 0' });
  });

  it('rejects indicators whose maxima sum below their group max', () => {
    const model = modelWith((m) => {
      indicator(m, 'B04').max = 10;
    });

    expect(sut(model).map((issue) => issue.path)).toContain('groups.0');
  });

  it('rejects tiers that do not ascend', () => {
    const model = modelWith((m) => {
      const rule = indicator(m, 'B02').rule;
      if (rule.kind === 'tiered')
        rule.tiers = [
          { atLeast: 5, points: 2 },
          { atLeast: 1, points: 4 },
        ];
    });

    expect(sut(model)).toContainEqual({ path: 'indicators.1.rule.tiers.1', message: '档位下限须严格递增' });
  });

  it('accepts an exclusive tier right after an inclusive tier at the same bound', () => {
    expect(sut(DEFAULT_MODEL_V1).filter((issue) => issue.path.startsWith('indicators.11'))).toEqual([]);
  });

  it('rejects tier points above the indicator max', () => {
    const model = modelWith((m) => {
      const rule = indicator(m, 'B02').rule;
      if (rule.kind === 'tiered') rule.tiers = [{ atLeast: 0, points: 11 }];
    });

    expect(sut(model)).toContainEqual({ path: 'indicators.1.rule.tiers.0.points', message: '分值 11 超过指标满分 10' });
  });

  it('rejects tier points that fall as the feature grows', () => {
    const model = modelWith((m) => {
      const rule = indicator(m, 'B02').rule;
      if (rule.kind === 'tiered')
        rule.tiers = [
          { atLeast: 0, points: 6 },
          { atLeast: 1, points: 4 },
        ];
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.1.rule.tiers.1.points');
  });

  it('rejects negative points', () => {
    const model = modelWith((m) => {
      const rule = indicator(m, 'O01').rule;
      if (rule.kind === 'categorical') rule.none = -1;
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.4.rule.none');
  });

  it('rejects a categorical none above max', () => {
    const model = modelWith((m) => {
      const rule = indicator(m, 'O01').rule;
      if (rule.kind === 'categorical') rule.none = 151;
    });

    expect(sut(model)).toContainEqual({ path: 'indicators.4.rule.none', message: '分值 151 超过指标满分 150' });
  });

  it('rejects severity deductions that are not ordered minor ≤ general ≤ serious', () => {
    const model = modelWith((m) => {
      const rule = indicator(m, 'O02').rule;
      if (rule.kind === 'deduction')
        rule.sources = [{ recordKind: 'penalty', by: 'severity', points: { minor: 50, general: 40, serious: 100 } }];
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.5.rule.sources.0.points');
  });

  it('rejects grade cut-offs that do not descend', () => {
    const model = modelWith((m) => {
      m.grades = { A: 850, B: 730, C: 790, D: 670 };
    });

    expect(sut(model)).toContainEqual({ path: 'grades', message: '等级分数线须满足 A > B > C > D' });
  });

  it('rejects a cut-off above 1000', () => {
    const model = modelWith((m) => {
      m.grades.A = 1001;
    });

    expect(sut(model).map((issue) => issue.path)).toContain('grades.A');
  });

  it('rejects a minimum publicity period longer than the maximum', () => {
    const model = modelWith((m) => {
      m.decay.general = { fullMonths: 13, zeroMonths: 12 };
    });

    expect(sut(model)).toContainEqual({ path: 'decay.general', message: '最短公示期不得长于最长公示期' });
  });

  it('rejects a direction that contradicts the rule kind', () => {
    const model = modelWith((m) => {
      indicator(m, 'O02').direction = '+';
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.5.direction');
  });

  it('rejects an indicator of an unknown group', () => {
    const model = modelWith((m) => {
      indicator(m, 'S04').group = 'X';
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.15.group');
  });

  it('rejects duplicate indicator codes', () => {
    const model = modelWith((m) => {
      indicator(m, 'B02').code = 'B01';
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.1.code');
  });

  it('rejects a rule kind outside the five', () => {
    const model = modelWith((m) => {
      Object.assign(indicator(m, 'B03').rule, { kind: 'formula' });
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.2.rule.kind');
  });

  it('rejects an unknown record kind', () => {
    const model = modelWith((m) => {
      Object.assign(indicator(m, 'O03').rule, { sources: [{ recordKind: 'gossip', by: 'each', points: 40 }] });
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.6.rule.sources.0.recordKind');
  });

  it('rejects fractional points', () => {
    const model = modelWith((m) => {
      const rule = indicator(m, 'O03').rule;
      if (rule.kind === 'deduction') rule.sources = [{ recordKind: 'abnormal_listing', by: 'each', points: 39.5 }];
    });

    expect(sut(model).map((issue) => issue.path)).toContain('indicators.6.rule.sources.0.points');
  });

  it('rejects unknown properties', () => {
    expect(sut({ ...DEFAULT_MODEL_V1, formula: 'x' }).length).toBeGreaterThan(0);
  });

  it('rejects something that is not a model', () => {
    expect(sut(null).length).toBeGreaterThan(0);
  });
});

describe('parseModel', () => {
  it('returns a valid model', () => {
    expect(parseModel(DEFAULT_MODEL_V1)).toEqual(DEFAULT_MODEL_V1);
  });

  it('throws MODEL_INVALID with every issue as details', () => {
    const model = modelWith((m) => {
      m.grades.A = 1001;
      indicator(m, 'B04').max = 0;
    });

    let thrown: unknown;
    try {
      parseModel(model);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'MODEL_INVALID', details: validateModel(model) });
    expect((thrown as AppError).details.length).toBeGreaterThanOrEqual(2);
  });

  it('is what compileModel runs first, so an invalid model never compiles', () => {
    const model = modelWith((m) => {
      m.grades.A = 1001;
    });

    expect(() => compileModel(model)).toThrow(AppError);
  });
});
