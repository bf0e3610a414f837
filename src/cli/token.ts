// Token tools: users, connect tokens, signed URLs, signing keys and stream keys, over one config file.
// `npm run token -- user add alice --perm publish,play --config airlock.json` (password on stdin).
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { openConfig, type OpenedConfig } from '../server/auth/config-file';
import { buildConnectToken, buildHmacConnectToken } from '../server/auth/connect-token-builder';
import { parsePermissions, type Permission } from '../server/auth/permissions';
import { redact } from '../server/auth/redact';
import { SignedUrls } from '../server/auth/signed-url';

const USAGE = `usage: npm run token -- COMMAND ... [--config FILE]
  user add NAME --perm publish,play [--adobe] --config FILE   (password on stdin)
  user passwd NAME [--adobe] --config FILE                     (password on stdin)
  user remove NAME --config FILE | user list --config FILE
  connect-args --user NAME --password PW --perm play [--time UNIX]
  connect-args --user NAME --perm play [--time UNIX] --hmac --config FILE
  sign --path APP/STREAM --perm play|publish --ttl SECONDS --config FILE
  key add [--id ID] [--activate] | key activate|retire|revoke ID | key list   (--config FILE)
  stream-key create APP/STREAM | stream-key revoke ID | stream-key list      (--config FILE)`;

type Values = Record<string, string | boolean | undefined>;

const need = (values: Values, name: string): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '') throw new Error(`--${name} is required`);
  return value;
};

function permission(value: string, single: boolean): Permission[] {
  const parsed = parsePermissions(value);
  if (!parsed || (single && parsed.length !== 1)) throw new Error(`--perm takes ${single ? 'publish or play' : 'publish, play or publish,play'}, got "${value}"`);
  return parsed;
}

/** The password as typed or piped: everything on stdin, without the line break that ends it. */
async function passwordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password (end with Enter, then Ctrl-D): ');
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  if (password === '') throw new Error('no password on stdin');
  return password;
}

function pathOf(value: string): { app: string; stream: string } {
  const at = value.indexOf('/');
  if (at <= 0 || at === value.length - 1) throw new Error(`expected APP/STREAM, got "${value}"`);
  return { app: value.slice(0, at), stream: value.slice(at + 1) };
}

async function withConfig(values: Values, change: (config: OpenedConfig) => Promise<boolean> | boolean): Promise<void> {
  const config = await openConfig(need(values, 'config'));
  if (config.created) console.error(`created ${config.file} with signing key ${config.settings.signingKeys.active()?.id}`);
  if (await change(config)) await config.save();
}

async function user([verb, name]: string[], values: Values): Promise<void> {
  await withConfig(values, async ({ settings: { users } }) => {
    const adobe = values.adobe === true ? true : undefined;
    switch (verb) {
      case 'add':
        await users.add(name ?? '', await passwordFromStdin(), permission(need(values, 'perm'), false), { adobe });
        console.log(`added ${name}`);
        return true;
      case 'passwd':
        await users.changePassword(name ?? '', await passwordFromStdin(), { adobe });
        console.log(`changed the password of ${name}`);
        return true;
      case 'remove':
        if (!users.remove(name ?? '')) throw new Error(`no user "${name}"`);
        console.log(`removed ${name}`);
        return true;
      case 'list':
        for (const entry of users.list()) console.log(`${entry.name}\t${entry.permissions.join(',')}${entry.adobe ? '\tadobe' : ''}`);
        return false;
      default:
        throw new Error(`unknown user command "${verb}"`);
    }
  });
}

async function connectArgs(values: Values): Promise<void> {
  const name = need(values, 'user');
  const perm = need(values, 'perm');
  permission(perm, false);
  const time = values.time === undefined ? Math.floor(Date.now() / 1000) : Number(values.time);
  let token;
  if (values.hmac === true) {
    const config = await openConfig(need(values, 'config'));
    const key = config.settings.users.secretKey(name);
    if (!key) throw new Error(`no user "${name}" in ${config.file}`);
    token = buildHmacConnectToken({ user: name, key, time, permission: perm });
  } else {
    token = buildConnectToken({ user: name, password: need(values, 'password'), time, permission: perm });
  }
  console.log(`ntoken=${token.ntoken}\nptoken=${token.ptoken}\nttoken=${token.ttoken}\nftoken=${token.ftoken}`);
  console.log(`ffmpeg: ${token.ffmpeg}`);
  console.log(`rtmpdump: ${token.rtmpdump}`);
}

async function sign(values: Values): Promise<void> {
  const path = need(values, 'path');
  pathOf(path);
  const [perm] = permission(need(values, 'perm'), true);
  const ttl = Number(need(values, 'ttl'));
  const { settings } = await openConfig(need(values, 'config'));
  console.log(new SignedUrls({ keys: settings.signingKeys, maxTtlSeconds: settings.maxSignedTtlSeconds }).sign(path, perm, ttl));
}

async function key([verb, id]: string[], values: Values): Promise<void> {
  await withConfig(values, ({ settings: { signingKeys } }) => {
    switch (verb) {
      case 'add': {
        const added = signingKeys.add({ id: typeof values.id === 'string' ? values.id : undefined, activate: values.activate === true });
        console.log(`added key ${added.id} (${added.state})`);
        return true;
      }
      case 'activate':
      case 'retire':
      case 'revoke':
        signingKeys[verb](id ?? '');
        console.log(`key ${id}: ${verb === 'activate' ? 'active' : `${verb}d`}`);
        return true;
      case 'list':
        for (const entry of signingKeys.list()) console.log(`${entry.id}\t${entry.state}\t${new Date(entry.createdAt * 1000).toISOString()}`);
        return false;
      default:
        throw new Error(`unknown key command "${verb}"`);
    }
  });
}

async function streamKey([verb, target]: string[], values: Values): Promise<void> {
  await withConfig(values, ({ settings: { streamKeys } }) => {
    switch (verb) {
      case 'create': {
        const { app, stream } = pathOf(target ?? '');
        const created = streamKeys.create(app, stream);
        console.log(`id ${created.id}\nkey ${created.key}\nOBS: Server rtmp://HOST:1935/${app}  Stream Key ${created.key}`);
        return true;
      }
      case 'revoke':
        streamKeys.revoke(target ?? '');
        console.log(`revoked stream key ${target}`);
        return true;
      case 'list':
        for (const entry of streamKeys.list()) console.log(`${entry.id}\t${entry.app}/${entry.stream}\t${entry.revoked ? 'revoked' : 'active'}`);
        return false;
      default:
        throw new Error(`unknown stream-key command "${verb}"`);
    }
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      perm: { type: 'string' },
      adobe: { type: 'boolean' },
      user: { type: 'string' },
      password: { type: 'string' },
      time: { type: 'string' },
      hmac: { type: 'boolean' },
      path: { type: 'string' },
      ttl: { type: 'string' },
      id: { type: 'string' },
      activate: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) return console.log(USAGE);
  switch (command) {
    case 'user':
      return user(rest, values);
    case 'connect-args':
      return connectArgs(values);
    case 'sign':
      return sign(values);
    case 'key':
      return key(rest, values);
    case 'stream-key':
      return streamKey(rest, values);
    default:
      throw new Error(`unknown command "${command}"`);
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${redact(error instanceof Error ? error.message : String(error))}\n${USAGE}`);
  process.exit(1);
});
