/**
 * @module cli/createWalletServer — the HTTP side of `freehold start`: the built wallet as files,
 * /config.json for the page, and the demo faucet. Bound by the caller (127.0.0.1).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { contentTypeOf, resolveStaticFile, SECURITY_HEADERS } from './staticFiles';

export interface WalletServerInit {
  /** The built wallet (dist/app). */
  root: string;
  /** What /config.json answers, already JSON. */
  config: string;
  /** The demo chain's faucet: pays demo coins to a did:key, returns the tx id. */
  faucet?: (did: string) => Promise<string>;
}

function serveFile(root: string, path: string, response: ServerResponse): void {
  let file = resolveStaticFile(root, path);
  if (!file) {
    response.writeHead(400).end();
    return;
  }
  if (!existsSync(file)) file = join(root, 'index.html');
  const immutable = file.includes(`${sep}assets${sep}`);
  response
    .writeHead(200, {
      'content-type': contentTypeOf(file),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...SECURITY_HEADERS,
    })
    .end(readFileSync(file));
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  let body = '';
  for await (const chunk of request) {
    body += String(chunk);
    if (body.length > limit) throw new Error('too large');
  }
  return body;
}

export function createWalletServer({ root, config, faucet }: WalletServerInit): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/config.json') {
      response
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(config);
      return;
    }
    if (url.pathname === '/faucet' && request.method === 'POST' && faucet) {
      readBody(request, 1000)
        .then((body) => faucet(String((JSON.parse(body) as { did?: unknown }).did)))
        .then((txId) => response.writeHead(200).end(JSON.stringify({ txId })))
        .catch(() =>
          response
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'That is not a Freehold address.' })),
        );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    serveFile(root, url.pathname, response);
  });
}
