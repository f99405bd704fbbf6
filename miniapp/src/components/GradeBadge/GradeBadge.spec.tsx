import { render, screen } from '@testing-library/react';
import { Benefits } from '../Benefits';
import { GradeBadge } from './index';

describe('GradeBadge', () => {
  it('shows the grade and the total score', () => {
    render(<GradeBadge grade="B" total={812} />);

    expect(screen.getByText('B')).toBeTruthy();
    expect(screen.getByText('812')).toBeTruthy();
  });
});

describe('Benefits', () => {
  it('offers the green channel and 信易贷 to an A-grade entity', () => {
    render(<Benefits grade="A" />);

    expect(screen.getByText(/绿色通道/)).toBeTruthy();
    expect(screen.getByText(/信易贷/)).toBeTruthy();
  });

  it('offers neither below A, and says what A would unlock', () => {
    const { container } = render(<Benefits grade="B" />);

    expect(container.querySelectorAll('.benefits__item')).toHaveLength(0);
    expect(screen.getByText(/达到 A 级/)).toBeTruthy();
  });
});
