// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StudioError } from '../../../../src/shared/ipc';
import { CopyButton } from '../../../../src/renderer/src/ui/CopyButton';

afterEach(cleanup);

describe('CopyButton', () => {
  it('fetches the text only when clicked, copies it and says "Copied"', async () => {
    const user = userEvent.setup();
    const fetchText = vi.fn(async () => 'rtmp://127.0.0.1:1935/live');
    render(<CopyButton label="Copy OBS Server" text={fetchText} />);
    expect(fetchText).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: 'Copy OBS Server' }));

    expect((await screen.findByRole('status')).textContent).toBe('Copied');
    expect(await navigator.clipboard.readText()).toBe('rtmp://127.0.0.1:1935/live');
  });

  it('says why nothing was copied', async () => {
    const user = userEvent.setup();
    const text = async () => {
      throw new StudioError('SECRET_STORAGE', 'the key store is locked', 'Unlock your keyring.');
    };
    render(<CopyButton label="Copy ffmpeg command" text={text} />);
    await user.click(screen.getByRole('button', { name: 'Copy ffmpeg command' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Could not copy: the key store is locked Unlock your keyring.');
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
