// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requests, StudioError, type KeysSnapshot } from '../../../../src/shared/ipc';
import { KeysScreen } from '../../../../src/renderer/src/features/keys/KeysScreen';
import { credential, fakeKeys, NOW, shareOf } from './fake-keys';

function setUp(initial: Partial<KeysSnapshot> = {}) {
  const { api, snapshot } = fakeKeys(initial);
  window.airlock = api;
  render(<KeysScreen />);
  return { api, snapshot, user: userEvent.setup() };
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const users = () => screen.getByRole('form', { name: 'Add user' });

describe('Keys screen: loading', () => {
  it('says why the keys could not be read, and reads them again on Try again', async () => {
    const { api, snapshot } = fakeKeys();
    let failures = 1;
    api.handle('keys.list', () => {
      if (failures-- > 0) throw new StudioError('SECRET_STORAGE', 'the key file could not be unsealed');
      return structuredClone(snapshot);
    });
    window.airlock = api;
    render(<KeysScreen />);
    const user = userEvent.setup();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not read keys and tokens: the key file could not be unsealed');
    expect(alert.textContent).toContain('unlock your keyring');

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('No users yet')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('Keys screen: users', () => {
  it('says what to do when there are no users', async () => {
    setUp();
    expect(await screen.findByText('No users yet')).toBeTruthy();
  });

  it('shows why a user is refused and sends nothing', async () => {
    const { api, user } = setUp();
    await screen.findByText('No users yet');
    const form = users();
    await user.type(within(form).getByLabelText('Password'), 'short');
    await user.click(within(form).getByRole('checkbox', { name: 'Publish' }));
    await user.click(within(form).getByRole('button', { name: 'Add user' }));

    expect(within(form).getByText('Enter a user name of 1 to 64 characters.')).toBeTruthy();
    expect(within(form).getByText('At least 8 characters.', { selector: '.field-error' })).toBeTruthy();
    expect(within(form).getByText('Choose at least one permission.')).toBeTruthy();
    expect(within(form).getByLabelText('User name').getAttribute('aria-invalid')).toBe('true');
    expect(api.names()).not.toContain('keys.addUser');
  });

  it('adds a user, then removes it after confirmation', async () => {
    const { api, user } = setUp();
    await screen.findByText('No users yet');
    const form = users();
    await user.type(within(form).getByLabelText('User name'), 'alice');
    await user.type(within(form).getByLabelText('Password'), 'correct horse');
    await user.click(within(form).getByRole('checkbox', { name: 'Play' }));
    await user.click(within(form).getByRole('button', { name: 'Add user' }));

    const alice = await screen.findByRole('listitem', { name: 'alice' });
    expect(alice.textContent).toContain('Publish and Play');
    expect(api.inputsOf('keys.addUser')).toEqual([{ name: 'alice', password: 'correct horse', permissions: ['publish', 'play'] }]);
    expect(screen.getByText('User alice added.')).toBeTruthy();

    await user.click(within(alice).getByRole('button', { name: 'Remove' }));
    expect(api.names()).not.toContain('keys.removeUser');
    await user.click(within(alice).getByRole('button', { name: 'Confirm remove' }));

    await waitFor(() => expect(screen.queryByRole('listitem', { name: 'alice' })).toBeNull());
    expect(api.inputsOf('keys.removeUser')).toEqual([{ name: 'alice' }]);
    expect(screen.getByText('User alice removed.')).toBeTruthy();
  });

  it("shows main's refusal of a user", async () => {
    const { api, user } = setUp();
    api.handle('keys.addUser', () => {
      throw new StudioError('SECRET_STORAGE', 'the password could not be sealed', 'Unlock your keyring and try again.');
    });
    await screen.findByText('No users yet');
    await user.type(within(users()).getByLabelText('User name'), 'bob');
    await user.type(within(users()).getByLabelText('Password'), 'long enough');
    await user.click(within(users()).getByRole('button', { name: 'Add user' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('User not added: the password could not be sealed');
    expect(alert.textContent).toContain('Unlock your keyring and try again.');
  });

  it("changes a user's password", async () => {
    const { api, user } = setUp({ users: [{ name: 'alice', permissions: ['publish'], createdAt: NOW }] });
    const alice = await screen.findByRole('listitem', { name: 'alice' });
    await user.click(within(alice).getByRole('button', { name: 'Change password' }));
    await user.type(within(alice).getByLabelText('New password'), 'new secret words');
    await user.click(within(alice).getByRole('button', { name: 'Save password' }));

    expect(await screen.findByText('Password of alice changed.')).toBeTruthy();
    expect(api.inputsOf('keys.setPassword')).toEqual([{ name: 'alice', password: 'new secret words' }]);
  });

  it('keeps the keyboard focus in place: into the password form or on Cancel when opened, back on its button when closed', async () => {
    const { api, user } = setUp({ users: [{ name: 'alice', permissions: ['publish'], createdAt: NOW }] });
    const alice = await screen.findByRole('listitem', { name: 'alice' });
    within(alice).getByRole('button', { name: 'Change password' }).focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(within(alice).getByLabelText('New password'));
    await user.click(within(alice).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(within(alice).getByRole('button', { name: 'Change password' }));

    within(alice).getByRole('button', { name: 'Remove' }).focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(within(alice).getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Enter}');
    expect(document.activeElement).toBe(within(alice).getByRole('button', { name: 'Remove' }));
    expect(api.names()).not.toContain('keys.removeUser');
  });
});

describe('Keys screen: links and tokens', () => {
  const form = () => screen.getByRole('form', { name: 'New key, link or token' });

  it('creates a signed link with a permission, a stream and an expiry', async () => {
    const { api, user } = setUp();
    await screen.findByText('No links or tokens yet');
    await user.selectOptions(within(form()).getByLabelText('Type'), 'Signed link');
    await user.selectOptions(within(form()).getByLabelText('Permission'), 'Play');
    await user.type(within(form()).getByLabelText('Stream'), 'cam');
    await user.selectOptions(within(form()).getByLabelText('Expires in'), '10 minutes');
    await user.click(within(form()).getByRole('button', { name: 'Create' }));

    const item = await screen.findByRole('listitem', { name: 'Signed link live/cam' });
    const [input] = api.inputsOf('keys.issueCredential');
    expect(input).toEqual({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 600, label: '' });
    expect(requests['keys.issueCredential'].input.safeParse(input).success).toBe(true);
    expect(item.textContent).toContain('Play live/cam');
    expect(within(item).getByText(/^Expires in (9m 59s|10m)$/)).toBeTruthy();
    expect(within(item).getByRole('button', { name: 'Copy RTMP play URL' })).toBeTruthy();
    expect(screen.getByText('Created a signed link for live/cam. Copy it from the list below.')).toBeTruthy();
  });

  it('asks for a stream name that the server can use', async () => {
    const { api, user } = setUp();
    await screen.findByText('No links or tokens yet');
    await user.click(within(form()).getByRole('button', { name: 'Create' }));
    expect(within(form()).getByText(/^Enter the stream name\./)).toBeTruthy();
    await user.type(within(form()).getByLabelText('Stream'), 'a/b');
    await user.click(within(form()).getByRole('button', { name: 'Create' }));
    expect(within(form()).getByText(/without \/, \?, #/)).toBeTruthy();
    expect(api.names()).not.toContain('keys.issueCredential');
  });

  it('issues a connect-object token for a chosen user, within twice the token window', async () => {
    const { api, user } = setUp({ users: [{ name: 'alice', permissions: ['publish'], createdAt: NOW }] });
    await screen.findByText('No links or tokens yet');
    await user.selectOptions(within(form()).getByLabelText('Type'), 'Connect-object token');
    await user.type(within(form()).getByLabelText('Stream'), 'studio');
    await user.click(within(form()).getByRole('button', { name: 'Create' }));
    expect(within(form()).getByText('Choose the user the token speaks for.')).toBeTruthy();

    const expiries = within(within(form()).getByLabelText('Expires in')).getAllByRole('option').map((option) => option.textContent);
    expect(expiries).toEqual(['1 minute', '10 minutes']);
    await user.selectOptions(within(form()).getByLabelText('User'), 'alice');
    await user.click(within(form()).getByRole('button', { name: 'Create' }));

    await screen.findByRole('listitem', { name: 'Connect-object token live/studio' });
    expect(api.inputsOf('keys.issueCredential')).toEqual([{ kind: 'connect-token', permission: 'publish', app: 'live', stream: 'studio', ttlSeconds: 600, label: '', user: 'alice' }]);
  });

  it('counts down to expiry every second and then says it expired', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(NOW);
    setUp({ credentials: [credential('c1', { label: 'Guest', expiresAt: NOW / 1000 + 3 })] });
    const item = await screen.findByRole('listitem', { name: 'Signed link Guest' });
    expect(within(item).getByText('Expires in 3s')).toBeTruthy();

    act(() => vi.advanceTimersByTime(1000));
    expect(within(item).getByText('Expires in 2s')).toBeTruthy();

    act(() => vi.advanceTimersByTime(2000));
    expect(within(item).getByText('Expired')).toBeTruthy();
    expect(within(item).queryByRole('button', { name: /^Copy/ })).toBeNull();
    expect(within(item).getByText(/The server refuses it now/)).toBeTruthy();
  });

  it('revokes a link', async () => {
    const { api, user } = setUp({ credentials: [credential('c1', { label: 'Guest' })] });
    const item = await screen.findByRole('listitem', { name: 'Signed link Guest' });
    await user.click(within(item).getByRole('button', { name: 'Revoke' }));

    await waitFor(() => expect(within(item).getByText('Revoked')).toBeTruthy());
    // The button is gone: the keyboard focus moves to the item that now says Revoked, not to the page.
    await waitFor(() => expect(document.activeElement).toBe(item));
    expect(api.inputsOf('keys.revokeCredential')).toEqual([{ id: 'c1' }]);
    expect(within(item).queryByRole('button', { name: 'Revoke' })).toBeNull();
    expect(within(item).queryByRole('button', { name: 'Reveal' })).toBeNull();
  });
});

describe('Keys screen: secrets', () => {
  it('keeps secrets masked and unasked for until revealed, and masks them again on Hide', async () => {
    const { api, user } = setUp({ credentials: [credential('c1', { label: 'Laptop' })] });
    const item = await screen.findByRole('listitem', { name: 'Signed link Laptop' });
    expect(item.textContent).not.toContain('secret-c1');
    expect(within(item).getAllByText('hidden')).toHaveLength(3);
    expect(api.names()).not.toContain('keys.reveal');

    await user.click(within(item).getByRole('button', { name: 'Reveal' }));

    expect(await within(item).findByText('studio?secret-c1')).toBeTruthy();
    expect(within(item).getByText('rtmp://127.0.0.1:1935/live')).toBeTruthy();
    expect(api.inputsOf('keys.reveal')).toEqual([{ kind: 'signed-link', id: 'c1' }]);

    await user.click(within(item).getByRole('button', { name: 'Hide' }));
    expect(item.textContent).not.toContain('secret-c1');
  });

  it('copies the revealed secret for OBS and confirms with "Copied", the secret still masked on screen', async () => {
    const { api, user } = setUp({ credentials: [credential('c1', { label: 'Laptop' })] });
    const item = await screen.findByRole('listitem', { name: 'Signed link Laptop' });
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');

    await user.click(within(item).getByRole('button', { name: 'Copy OBS Stream Key' }));

    expect(await within(item).findByText('Copied')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(shareOf('c1').obs!.streamKey);
    expect(item.textContent).not.toContain('secret-c1');

    await user.click(within(item).getByRole('button', { name: 'Copy ffmpeg command' }));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(shareOf('c1').ffmpeg));
    expect(api.inputsOf('keys.reveal')).toHaveLength(1);
  });

  it('creates a stream key and copies it for OBS', async () => {
    const { user } = setUp();
    const form = await screen.findByRole('form', { name: 'New key, link or token' });
    await user.selectOptions(within(form).getByLabelText('Type'), 'Stream key');
    expect(within(form).queryByLabelText('Expires in')).toBeNull();
    await user.type(within(form).getByLabelText('Stream'), 'studio');
    await user.click(within(form).getByRole('button', { name: 'Create' }));

    const item = await screen.findByRole('listitem', { name: 'Stream key live/studio' });
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    await user.click(within(item).getByRole('button', { name: 'Copy OBS Server' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('rtmp://127.0.0.1:1935/live'));
  });
});

describe('Keys screen: signing keys', () => {
  it('rotates the signing key, retiring the previous one when asked', async () => {
    const { api, user } = setUp();
    expect((await screen.findByRole('listitem', { name: 'Signing key k1' })).textContent).toContain('Active');
    await user.click(screen.getByRole('checkbox', { name: /Retire the previous key now/ }));
    await user.click(screen.getByRole('button', { name: 'Rotate signing key' }));

    expect(await screen.findByText('Signing key rotated: k2 is now active. Links signed with the previous key no longer work.')).toBeTruthy();
    expect(api.inputsOf('keys.rotateSigningKey')).toEqual([{ retirePrevious: true }]);
    expect(screen.getByRole('listitem', { name: 'Signing key k1' }).textContent).toContain('Retired');
    expect(screen.getByRole('listitem', { name: 'Signing key k2' }).textContent).toContain('Active');
  });

  it('follows keys.changed from main', async () => {
    const { api, snapshot } = setUp();
    await screen.findByText('No users yet');
    act(() => api.emit('keys.changed', { ...snapshot, users: [{ name: 'carol', permissions: ['play'], createdAt: NOW }] }));
    expect(screen.getByRole('listitem', { name: 'carol' })).toBeTruthy();
  });
});

describe('Keys screen: share rows', () => {
  it('offers play URLs for a play link and drops the RTMPS one once the share shows RTMPS is off', async () => {
    const { user } = setUp({ credentials: [credential('c1', { label: 'Viewer', permission: 'play' })] });
    const item = await screen.findByRole('listitem', { name: 'Signed link Viewer' });
    const rows = () => within(item).getAllByRole('term').map((term) => term.textContent);
    expect(rows()).toEqual(['ffmpeg command', 'RTMP play URL', 'RTMPS play URL', 'HTTP-FLV play URL']);

    await user.click(within(item).getByRole('button', { name: 'Reveal' }));

    await within(item).findByText('http://127.0.0.1:8000/live/studio.flv?secret-c1');
    expect(rows()).toEqual(['ffmpeg command', 'RTMP play URL', 'HTTP-FLV play URL']);
  });

  it('shows a stream key its OBS fields and ffmpeg command only', async () => {
    const { user } = setUp({ streamKeys: [{ id: 's1', app: 'live', stream: 'studio', label: 'Laptop', createdAt: NOW, revoked: false }] });
    const item = await screen.findByRole('listitem', { name: 'Stream key Laptop' });
    await user.click(within(item).getByRole('button', { name: 'Reveal' }));
    await within(item).findByText('studio?secret-s1');
    expect(within(item).getAllByRole('term').map((term) => term.textContent)).toEqual(['OBS Server', 'OBS Stream Key', 'ffmpeg command']);
  });
});
