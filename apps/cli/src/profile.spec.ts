import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configDir, profilePath, readProfile, resolveConnection, writeProfile } from './profile';

describe('profile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiaas-profile-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lives in AIAAS_CONFIG_DIR, else XDG_CONFIG_HOME/aiaas, else ~/.config/aiaas', () => {
    expect(configDir({ AIAAS_CONFIG_DIR: '/x/y' }, '/home/u')).toBe('/x/y');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, '/home/u')).toBe('/xdg/aiaas');
    expect(configDir({}, '/home/u')).toBe('/home/u/.config/aiaas');
    expect(configDir({ AIAAS_CONFIG_DIR: '', XDG_CONFIG_HOME: '' }, '/home/u')).toBe('/home/u/.config/aiaas');
    expect(profilePath({ AIAAS_CONFIG_DIR: '/x' })).toBe('/x/config.json');
  });

  it('writes the file 0600 in a 0700 folder, even one that existed wider, and reads it back', async () => {
    const configHome = path.join(dir, 'cfg');
    fs.mkdirSync(configHome, { mode: 0o755 });
    fs.chmodSync(configHome, 0o755);
    const env = { AIAAS_CONFIG_DIR: configHome };
    const file = await writeProfile(
      { url: 'http://127.0.0.1:8080', key: 'aiaas_a_b', grpc_address: '127.0.0.1:8081' },
      env,
    );
    expect(file).toBe(path.join(configHome, 'config.json'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(configHome).mode & 0o777).toBe(0o700);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({
      url: 'http://127.0.0.1:8080',
      key: 'aiaas_a_b',
      grpc_address: '127.0.0.1:8081',
    });
    expect(await readProfile(env)).toEqual({
      url: 'http://127.0.0.1:8080',
      key: 'aiaas_a_b',
      grpc_address: '127.0.0.1:8081',
    });
    // Overwriting keeps the mode and leaves no temporary file behind.
    await writeProfile({ url: 'http://h:1', key: 'k2' }, env);
    expect(fs.readdirSync(configHome)).toEqual(['config.json']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await readProfile(env)).toEqual({ url: 'http://h:1', key: 'k2' });
  });

  it('creates missing parent folders', async () => {
    const env = { AIAAS_CONFIG_DIR: path.join(dir, 'a', 'b') };
    await writeProfile({ url: 'http://h:1', key: 'k' }, env);
    expect(fs.statSync(path.join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
  });

  it('reads no profile as undefined, and a broken one as an error naming the file', async () => {
    const env = { AIAAS_CONFIG_DIR: dir };
    expect(await readProfile(env)).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'config.json'), '{not json');
    await expect(readProfile(env)).rejects.toThrow(/config\.json is not JSON.*aiaas login/);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ url: 'http://h:1' }));
    await expect(readProfile(env)).rejects.toThrow(/config\.json is invalid \(key: Required\)/);
  });

  describe('resolveConnection', () => {
    const profile = { url: 'http://profile:8080', key: 'profile-key', grpc_address: 'profile:8081' };

    it('takes flags over environment over the profile', () => {
      expect(resolveConnection({}, {}, profile)).toEqual({
        url: 'http://profile:8080',
        apiKey: 'profile-key',
        grpcAddress: 'profile:8081',
      });
      expect(resolveConnection({}, { AIAAS_URL: 'http://env:1/', AIAAS_API_KEY: 'env-key' }, profile)).toEqual({
        url: 'http://env:1',
        apiKey: 'env-key',
      });
      expect(
        resolveConnection(
          { url: 'https://flag:2', key: 'flag-key', grpc: 'flag:3' },
          { AIAAS_URL: 'http://env:1' },
          profile,
        ),
      ).toEqual({ url: 'https://flag:2', apiKey: 'flag-key', grpcAddress: 'flag:3' });
    });

    it('says how to log in when there is no URL, and rejects bad URLs and addresses', () => {
      expect(() => resolveConnection({}, {}, undefined)).toThrow(
        /no gateway URL: run "aiaas login --url URL --key KEY"/,
      );
      expect(() => resolveConnection({ url: 'ftp://x' }, {}, undefined)).toThrow(
        /expected an http:\/\/ or https:\/\/ URL/,
      );
      expect(() => resolveConnection({ url: 'not a url' }, {}, undefined)).toThrow(/invalid gateway URL "not a url"/);
      expect(() => resolveConnection({ url: 'http://h:1', grpc: 'nohost' }, {}, undefined)).toThrow(
        /invalid gRPC address "nohost": expected HOST:PORT/,
      );
    });

    it('leaves the key out when none is given anywhere', () => {
      expect(resolveConnection({ url: 'http://h:1' }, {}, undefined)).toEqual({ url: 'http://h:1' });
    });
  });
});
