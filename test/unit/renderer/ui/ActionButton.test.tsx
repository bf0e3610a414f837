// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionButton } from '../../../../src/renderer/src/ui/ActionButton';

afterEach(cleanup);

/** Go turns itself off when pressed, as Go live does. */
function SelfDisabling({ onGo }: { onGo: () => void }) {
  const [started, setStarted] = useState(false);
  return (
    <ActionButton
      disabled={started}
      onClick={() => {
        onGo();
        setStarted(true);
      }}
    >
      Go
    </ActionButton>
  );
}

describe('ActionButton', () => {
  it('keeps the keyboard focus on a button that turns itself off when pressed, and ignores further presses', async () => {
    const user = userEvent.setup();
    const onGo = vi.fn();
    render(<SelfDisabling onGo={onGo} />);
    await user.tab();
    const go = screen.getByRole('button', { name: 'Go' });
    expect(document.activeElement).toBe(go);

    await user.keyboard('{Enter}');
    expect(onGo).toHaveBeenCalledTimes(1);
    expect(go.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(go);

    await user.keyboard('{Enter}');
    await user.click(go);
    expect(onGo).toHaveBeenCalledTimes(1);
  });

  it('does not submit its form while busy', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn((event: { preventDefault: () => void }) => event.preventDefault());
    render(
      <form onSubmit={onSubmit}>
        <ActionButton type="submit" busy>
          Save
        </ActionButton>
      </form>,
    );
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save.getAttribute('aria-busy')).toBe('true');
    expect(save.getAttribute('aria-disabled')).toBe('true');
    await user.click(save);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
