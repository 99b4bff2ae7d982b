import { mulberry32 } from '@aiaas/onnx';
import {
  formatLoss,
  formatLossByGroup,
  lossByGroup,
  lossVerdict,
  processesOfRound,
  roundsLoss,
  tracingRunSettings,
} from './latency-summary';

describe('roundsLoss', () => {
  it('is one minus the ratio of the totals, so a slow round weighs what it measured', () => {
    // Per-round losses 10% and 40%: their median or mean would be 25%; the totals say 20%.
    const loss = roundsLoss([900, 300], [1000, 500], mulberry32(1));
    expect(loss.loss).toBeCloseTo(1 - 1200 / 1500, 12);
  });

  it('has an interval of width zero when every round lost the same share', () => {
    const loss = roundsLoss([90, 180, 45], [100, 200, 50], mulberry32(1));
    expect(loss.loss).toBeCloseTo(0.1, 12);
    expect(loss.low).toBeCloseTo(0.1, 12);
    expect(loss.high).toBeCloseTo(0.1, 12);
  });

  it('keeps each round paired: a common speed change between rounds does not widen the interval', () => {
    // The machine ran at 1×, 3× and 0.5× speed in three rounds; the traced setup lost 5% in each.
    const speeds = [1, 3, 0.5, 2, 1.5];
    const off = speeds.map((s) => 1000 * s);
    const on = off.map((v) => v * 0.95);
    const loss = roundsLoss(on, off, mulberry32(2));
    expect(loss.high - loss.low).toBeLessThan(1e-9);
    expect(loss.loss).toBeCloseTo(0.05, 9);
  });

  it('is the same for the same seed and holds the loss inside its interval', () => {
    const random = mulberry32(3);
    const off = Array.from({ length: 30 }, () => 1000 + 400 * random());
    const on = off.map((v) => v * (0.9 + 0.2 * random()));
    const a = roundsLoss(on, off, mulberry32(9));
    const b = roundsLoss(on, off, mulberry32(9));
    expect(a).toEqual(b);
    expect(a.low).toBeLessThan(a.loss);
    expect(a.high).toBeGreaterThan(a.loss);
  });

  it('holds the true loss in about 90% of simulated runs', () => {
    // 300 simulated runs of 30 rounds: a speed shared by the round's two windows (0.5× to 2×), its
    // own noise on each window (±20%), and a true loss of 4%.
    const random = mulberry32(4);
    const trueLoss = 0.04;
    let covered = 0;
    const runs = 300;
    for (let run = 0; run < runs; run++) {
      const off: number[] = [];
      const on: number[] = [];
      for (let round = 0; round < 30; round++) {
        const speed = 0.5 + 1.5 * random();
        off.push(1000 * speed * (0.8 + 0.4 * random()));
        on.push(1000 * speed * (1 - trueLoss) * (0.8 + 0.4 * random()));
      }
      const loss = roundsLoss(on, off, random, 500);
      if (loss.low <= trueLoss && trueLoss <= loss.high) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.8);
    expect(covered / runs).toBeLessThan(0.97);
  });

  it('with groups, puts a difference between processes in the interval', () => {
    // Four process groups of 10 rounds each; each group's traced process lost a different share
    // for its whole life (0%, 8%, 2%, 10%), the rounds within a group all the same.
    const groupLosses = [0, 0.08, 0.02, 0.1];
    const groups = groupLosses.flatMap((_, g) => Array.from({ length: 10 }, () => g));
    const off = groups.map(() => 1000);
    const on = groups.map((g) => 1000 * (1 - groupLosses[g]!));
    const rounds = roundsLoss(on, off, mulberry32(6));
    const grouped = roundsLoss(on, off, mulberry32(6), 2000, groups);
    expect(grouped.loss).toBeCloseTo(0.05, 12);
    expect(rounds.loss).toBeCloseTo(0.05, 12);
    // Rounds alone see a mixture of 40 rounds and give a narrow interval; groups see 4 processes.
    expect(grouped.high - grouped.low).toBeGreaterThan(2 * (rounds.high - rounds.low));
    expect(grouped.low).toBeLessThanOrEqual(0.02);
    expect(grouped.high).toBeGreaterThanOrEqual(0.08);
  });

  it('with groups, holds the true loss far more often when processes differ for their whole life', () => {
    // 300 simulated runs of 4 groups × 15 rounds: each process (on and off alike) is off its
    // setup's true speed by up to ±6% for its whole life, on top of the round's shared speed and
    // each window's own ±20%; the true loss is 4%.
    const random = mulberry32(8);
    const trueLoss = 0.04;
    const runs = 300;
    let coveredByRounds = 0;
    let coveredByGroups = 0;
    for (let run = 0; run < runs; run++) {
      const processEffect = (): number => 1 + 0.12 * (random() - 0.5);
      const effects = Array.from({ length: 4 }, () => ({ off: processEffect(), on: processEffect() }));
      const off: number[] = [];
      const on: number[] = [];
      const groups: number[] = [];
      for (let round = 0; round < 60; round++) {
        const group = round % 4;
        const speed = 0.5 + 1.5 * random();
        off.push(1000 * speed * effects[group]!.off * (0.8 + 0.4 * random()));
        on.push(1000 * speed * effects[group]!.on * (1 - trueLoss) * (0.8 + 0.4 * random()));
        groups.push(group);
      }
      const byRounds = roundsLoss(on, off, random, 300);
      const byGroups = roundsLoss(on, off, random, 300, groups);
      if (byRounds.low <= trueLoss && trueLoss <= byRounds.high) coveredByRounds++;
      if (byGroups.low <= trueLoss && trueLoss <= byGroups.high) coveredByGroups++;
    }
    expect(coveredByGroups / runs).toBeGreaterThan(0.8);
    expect(coveredByGroups - coveredByRounds).toBeGreaterThan(0.08 * runs);
  });

  it('refuses rounds that do not pair up', () => {
    expect(() => roundsLoss([1, 2], [1], mulberry32(1))).toThrow(
      'roundsLoss needs the same number of rounds on and off, at least one (got 2 and 1)',
    );
    expect(() => roundsLoss([], [], mulberry32(1))).toThrow('at least one (got 0 and 0)');
    expect(() => roundsLoss([1, 2], [1, 2], mulberry32(1), 100, [0])).toThrow(
      'roundsLoss needs a group for every round (got 1 groups for 2 rounds)',
    );
  });
});

describe('tracingRunSettings', () => {
  it('defaults to 60 rounds on 4 processes per setup and reads the two variables', () => {
    expect(tracingRunSettings({})).toEqual({ rounds: 60, processes: 4 });
    expect(tracingRunSettings({ BENCH_TRACING_ROUNDS: ' 12 ', BENCH_TRACING_PROCESSES: '3' })).toEqual({
      rounds: 12,
      processes: 3,
    });
  });

  it('refuses what is not a whole number in range, naming the variable and the range', () => {
    expect(() => tracingRunSettings({ BENCH_TRACING_ROUNDS: '0' })).toThrow(
      'BENCH_TRACING_ROUNDS must be a whole number from 1 to 100000 (got "0")',
    );
    expect(() => tracingRunSettings({ BENCH_TRACING_ROUNDS: 'ten' })).toThrow('(got "ten")');
    expect(() => tracingRunSettings({ BENCH_TRACING_ROUNDS: '8', BENCH_TRACING_PROCESSES: '9' })).toThrow(
      'BENCH_TRACING_PROCESSES must be a whole number from 1 to 8 (got "9")',
    );
    expect(() => tracingRunSettings({ BENCH_TRACING_PROCESSES: '2.5' })).toThrow('BENCH_TRACING_PROCESSES');
  });
});

describe('processesOfRound', () => {
  it('warms every process up in round 0, then loads one per round in turn', () => {
    expect(processesOfRound(0, 3)).toEqual([0, 1, 2]);
    expect([1, 2, 3, 4, 5].map((round) => processesOfRound(round, 3))).toEqual([[0], [1], [2], [0], [1]]);
    expect(processesOfRound(7, 1)).toEqual([0]);
  });
});

describe('lossByGroup', () => {
  it('gives the loss over each group’s rounds, in the order the groups first appear', () => {
    const losses = lossByGroup([90, 80, 45, 160], [100, 100, 50, 200], [1, 0, 1, 0]);
    expect(losses).toHaveLength(2);
    expect(losses[0]).toBeCloseTo(1 - 135 / 150, 12);
    expect(losses[1]).toBeCloseTo(1 - 240 / 300, 12);
    expect(formatLossByGroup([90, 80, 45, 160], [100, 100, 50, 200], [1, 0, 1, 0])).toBe('10.0, 20.0');
  });
});

describe('lossVerdict', () => {
  it('says met only when the whole interval is within the goal', () => {
    expect(lossVerdict({ loss: 0.02, low: -0.01, high: 0.05 }, 0.05)).toBe('met');
    expect(lossVerdict({ loss: 0.02, low: -0.01, high: 0.051 }, 0.05)).toBe('not shown');
  });

  it('says NOT met when the whole interval is above the goal', () => {
    expect(lossVerdict({ loss: 0.09, low: 0.051, high: 0.12 }, 0.05)).toBe('NOT met');
    expect(lossVerdict({ loss: 0.09, low: 0.05, high: 0.12 }, 0.05)).toBe('not shown');
  });
});

describe('formatLoss', () => {
  it('writes the loss and its interval in percent', () => {
    expect(formatLoss({ loss: 0.0412, low: -0.0123, high: 0.07 })).toBe('4.1% (-1.2 to 7.0)');
  });
});
