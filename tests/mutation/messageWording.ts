/**
 * A StrykerJS ignorer: mutants that change only what an error message says, never which error
 * is raised or whether one is. The class of an error and the code it carries (a light client's
 * `problem`, a certificate's `problem`, a block's `reason`) are what callers and tests match on;
 * the wording is what a person reads, and rewording it breaks no rule.
 *
 * What counts as wording, and nothing else (but never an InvalidProposalError's message, which
 * a failed proposal keeps in the chain's state):
 * 1. a string or template literal passed to `new SomethingError(...)`, to a module's `fail(...)`
 *    (the helper a verifier calls to throw its typed error) or to `super(...)` (in the core only
 *    error classes call it with text), except an argument that is a single word: that is one of
 *    the error's codes (a problem, a field), and stays mutated;
 * 2. an options object of such a call that holds only `details` (the longer wording);
 * 3. the field path handed to a shape reader (`asBytes(value, 'block.header.txRoot')`,
 *    `readHeader(value, 'block.header')`) and the default of a parameter named `path`: a path
 *    only ever names the field in a DecodeError's message.
 */

interface BabelNode {
  type: string;
  value?: unknown;
  quasis?: { value: { raw: string } }[];
  callee?: BabelNode;
  name?: string;
  property?: BabelNode;
  key?: BabelNode;
  left?: BabelNode;
  arguments?: BabelNode[];
  properties?: BabelNode[];
}
interface BabelPath {
  node: BabelNode;
  parentPath: BabelPath | null;
}

const isText = (node: BabelNode): boolean =>
  node.type === 'StringLiteral' || node.type === 'TemplateLiteral';

const isCode = (node: BabelNode): boolean =>
  node.type === 'StringLiteral' && typeof node.value === 'string' && /^[a-zA-Z]+$/.test(node.value);

function calleeName(node: BabelNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression') return calleeName(node.property);
  return undefined;
}

/**
 * Errors whose message is chain state, not wording: a passed proposal that can no longer apply
 * keeps its InvalidProposalError's message as the proposal's `outcome` (src/chain/endBlock.ts),
 * which the state root commits to, so rewording one changes what validators agree on.
 */
const MESSAGE_IS_STATE = new Set(['InvalidProposalError']);

function raisesAnError(call: BabelNode): boolean {
  // An error class handing its fixed wording to FreeholdError: `super('…', { details })`.
  if (call.type === 'CallExpression' && call.callee?.type === 'Super') return true;
  const name = calleeName(call.callee);
  if (name === undefined) return false;
  if (call.type === 'NewExpression') return name.endsWith('Error') && !MESSAGE_IS_STATE.has(name);
  return call.type === 'CallExpression' && name === 'fail';
}

const isShapeReader = (call: BabelNode): boolean =>
  call.type === 'CallExpression' && /^(as|read)[A-Z]\w*$/.test(calleeName(call.callee) ?? '');

const onlyDetails = (node: BabelNode): boolean =>
  node.type === 'ObjectExpression' &&
  (node.properties ?? []).length > 0 &&
  (node.properties ?? []).every(
    (p) => p.type === 'ObjectProperty' && calleeName(p.key) === 'details',
  );

export const messageWording = {
  shouldIgnore(path: BabelPath): string | undefined {
    const node = path.node;
    const parent = path.parentPath?.node;
    if (!parent) return undefined;
    const index = parent.arguments?.indexOf(node) ?? -1;
    if (index >= 0 && raisesAnError(parent)) {
      if (isText(node) && !isCode(node)) {
        return 'Error message wording only: the error raised and its code are unchanged.';
      }
      if (onlyDetails(node)) return 'Error details wording only: the error raised is unchanged.';
    }
    if (index === 1 && isText(node) && isShapeReader(parent)) {
      return 'A field path, which only names the field in a DecodeError message.';
    }
    if (parent.type === 'AssignmentPattern' && parent.left?.name === 'path' && isText(node)) {
      return 'A default field path, which only names the field in a DecodeError message.';
    }
    return undefined;
  },
};

/**
 * The plugin as StrykerJS loads it: what `declareValuePlugin(PluginKind.Ignore, …)` returns,
 * written out so that `npm test` needs no StrykerJS (it lives in tools/mutation).
 */
export const strykerPlugins = [{ kind: 'Ignore', name: 'message-wording', value: messageWording }];
