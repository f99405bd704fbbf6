import { ErrorCodes } from '../errors';
import { APPLICATION_KINDS } from './labels';
import { FAVOURABLE, isOpen, nextStatus } from './workflow';

describe('application workflow', () => {
  it('accepts a submitted objection', () => {
    const sut = nextStatus('objection', 'submitted', 'accept');
    expect(sut).toBe('accepted');
  });

  it('upholds an accepted objection', () => {
    const sut = nextStatus('objection', 'accepted', 'uphold');
    expect(sut).toBe('upheld');
  });

  it('confirms an accepted good-information report', () => {
    const sut = nextStatus('good_info', 'accepted', 'confirm');
    expect(sut).toBe('confirmed');
  });

  it('approves an accepted repair application', () => {
    const sut = nextStatus('repair', 'accepted', 'approve');
    expect(sut).toBe('approved');
  });

  it('refuses to uphold before acceptance, telling staff to accept first', () => {
    const sut = () => nextStatus('objection', 'submitted', 'uphold');
    expect(sut).toThrow(
      expect.objectContaining({ code: ErrorCodes.APPLICATION_STATE, message: expect.stringContaining('请先受理') }),
    );
  });

  it('refuses to decide twice', () => {
    const sut = () => nextStatus('objection', 'upheld', 'reject');
    expect(sut).toThrow(
      expect.objectContaining({ code: ErrorCodes.APPLICATION_STATE, message: expect.stringContaining('已办结') }),
    );
  });

  it("refuses another kind's favourable action", () => {
    const sut = () => nextStatus('repair', 'accepted', 'uphold');
    expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.APPLICATION_STATE }));
  });

  it('returns an accepted case for material and takes it back on resubmission', () => {
    const returned = nextStatus('repair', 'accepted', 'return');
    const sut = nextStatus('repair', returned, 'resubmit');
    expect([returned, sut]).toEqual(['returned', 'submitted']);
  });

  it('refuses a resubmission of a case that was not returned', () => {
    const sut = () => nextStatus('good_info', 'accepted', 'resubmit');
    expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.APPLICATION_STATE }));
  });

  it('closes a case with every final decision of every kind', () => {
    const sut = APPLICATION_KINDS.flatMap((k) => [
      nextStatus(k, 'accepted', FAVOURABLE[k].action),
      nextStatus(k, 'accepted', 'reject'),
    ]);
    expect(sut.some(isOpen)).toBe(false);
  });
});
