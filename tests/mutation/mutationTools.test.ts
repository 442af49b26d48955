// The tools of `npm run mutate`: what the ignorer leaves out (message wording and field paths
// only, never an error's code), and how the report is scored.
import { describe, expect, it } from 'vitest';
import { messageWording } from './messageWording';
import { combineReports, summarise, tally, type ReportMutant } from './summary';

type Node = Record<string, unknown> & { type: string };
const text = (value: string): Node => ({ type: 'StringLiteral', value });
const id = (name: string): Node => ({ type: 'Identifier', name });

/** The ignorer's verdict on argument `index` of `callee(...args)`. */
function verdict(
  kind: 'NewExpression' | 'CallExpression',
  callee: string,
  args: Node[],
  index: number,
) {
  const call: Node = { type: kind, callee: id(callee), arguments: args };
  const arg = args[index]!;
  return messageWording.shouldIgnore({
    node: arg,
    parentPath: { node: call, parentPath: null },
  });
}

describe('the message-wording ignorer', () => {
  it('leaves out the wording of a typed error, and of a verifier’s fail()', () => {
    expect(
      verdict('NewExpression', 'AlreadyVotedError', [text('You have voted on this already.')], 0),
    ).toMatch(/wording/);
    expect(
      verdict('CallExpression', 'fail', [text('brokenLink'), text('The header does not link.')], 1),
    ).toMatch(/wording/);
  });

  it('keeps the message of an InvalidProposalError, which a failed proposal keeps as state', () => {
    expect(
      verdict(
        'NewExpression',
        'InvalidProposalError',
        [text('That key is already a validator.')],
        0,
      ),
    ).toBeUndefined();
  });

  it('keeps an error’s code, and strings that are not an error’s', () => {
    expect(
      verdict('NewExpression', 'LightClientError', [text('wrongHeight'), text('Asked for 5.')], 0),
    ).toBeUndefined();
    expect(
      verdict('CallExpression', 'fail', [text('notNewer'), text('Not newer.')], 0),
    ).toBeUndefined();
    expect(
      verdict('CallExpression', 'asOneOf', [id('value'), text('x'), text('transfer')], 2),
    ).toBeUndefined();
    expect(verdict('CallExpression', 'idOf', [text('header'), id('header')], 0)).toBeUndefined();
    expect(verdict('NewExpression', 'Map', [text('a b')], 0)).toBeUndefined();
  });

  it('keeps every code an error carries, not only its first argument', () => {
    // InvalidGenesisError(field, problem, message): the app points at the field by both codes.
    const args = [text('balances'), text('outOfRange'), text('Balance 1 must be above zero.')];
    expect(verdict('NewExpression', 'InvalidGenesisError', args, 0)).toBeUndefined();
    expect(verdict('NewExpression', 'InvalidGenesisError', args, 1)).toBeUndefined();
    expect(verdict('NewExpression', 'InvalidGenesisError', args, 2)).toMatch(/wording/);
  });

  it('leaves out the wording an error class hands to super()', () => {
    const call: Node = {
      type: 'CallExpression',
      callee: { type: 'Super' },
      arguments: [text('Too many steps.')],
    };
    const node = (call.arguments as Node[])[0]!;
    expect(
      messageWording.shouldIgnore({ node, parentPath: { node: call, parentPath: null } }),
    ).toMatch(/wording/);
  });

  it('leaves out a field path handed to a shape reader', () => {
    expect(
      verdict(
        'CallExpression',
        'asBytes',
        [id('v'), text('block.header.txRoot'), { type: 'NumericLiteral', value: 32 }],
        1,
      ),
    ).toMatch(/path/);
    expect(
      verdict(
        'CallExpression',
        'asBytes',
        [id('v'), text('p'), { type: 'NumericLiteral', value: 32 }],
        2,
      ),
    ).toBeUndefined();
  });
});

describe('the mutation score', () => {
  const mutant = (status: ReportMutant['status']): ReportMutant => ({
    id: '1',
    mutatorName: 'ConditionalExpression',
    status,
    location: { start: { line: 1, column: 1 } },
  });

  it('counts a timeout as killed, leaves ignored ones out, and counts unreached ones against it', () => {
    const t = tally(
      'f',
      ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'Ignored'].map((s) =>
        mutant(s as ReportMutant['status']),
      ),
    );
    expect(t).toMatchObject({
      killed: 1,
      timeout: 1,
      survived: 1,
      noCoverage: 1,
      ignored: 2,
      score: 50,
    });
    expect(tally('none', [mutant('Ignored')]).score).toBeNull();
  });

  it('judges a target on the counts: 89.95% shows as 90 and does not meet 90', () => {
    const mutants = [
      ...Array.from({ length: 1799 }, () => mutant('Killed')),
      ...Array.from({ length: 201 }, () => mutant('Survived')),
    ];
    const light = summarise({ files: { 'src/light/a.ts': { mutants } } }).groups[0]!;
    expect(light).toMatchObject({ mutation: 'src/light', score: 90, met: false });
    const enough = [mutant('Killed'), ...mutants.slice(0, 1799), ...mutants.slice(1800)];
    expect(summarise({ files: { 'src/light/a.ts': { mutants: enough } } }).groups[0]).toMatchObject(
      { score: 90, met: true },
    );
  });

  it('gives no score to a group the run did not mutate, rather than a perfect one', () => {
    const report = {
      files: { 'src/light/verifyLightBlock.ts': { mutants: [mutant('Survived')] } },
    };
    const { groups } = summarise(report);
    const score = (name: string) => groups.find((g) => g.mutation === name)?.score;
    expect(score('src/light')).toBe(0);
    expect(score('src/codec/cbor.ts')).toBeNull();
    expect(score('verification core')).toBe(0);
  });

  it('adds up runs over different parts as one, the later run of a file replacing the earlier', () => {
    const a = { files: { 'src/light/a.ts': { mutants: [mutant('Survived')] } } };
    const b = {
      files: {
        'src/light/a.ts': { mutants: [mutant('Killed')] },
        'src/codec/cbor.ts': { mutants: [mutant('Killed'), mutant('NoCoverage')] },
      },
    };
    const c = { files: { 'src/chain/block.ts': { mutants: [mutant('Timeout')] } } };
    const core = (r: ReturnType<typeof combineReports>) =>
      summarise(r).groups.find((g) => g.mutation === 'verification core');
    expect(core(combineReports([a, b, c]))).toMatchObject({ killed: 2, timeout: 1, noCoverage: 1 });
    expect(core(combineReports([b, a, c]))).toMatchObject({ killed: 1, survived: 1 });
  });
});
