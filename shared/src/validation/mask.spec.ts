import fc from 'fast-check';
import { maskIdNumber, maskName } from './mask';

const revealed = (masked: string) => Array.from(masked).filter((c) => c !== '*').length;

describe('maskIdNumber', () => {
  it('keeps the first four and last four characters', () => {
    const sut = maskIdNumber('23110219800101123X');
    expect(sut).toBe('2311**********123X');
  });

  it('masks a lower-case x number the same way', () => {
    const sut = maskIdNumber('23110219800101123x');
    expect(sut).toBe('2311**********123X');
  });

  it('keeps less of a short value', () => {
    const sut = maskIdNumber('12345678');
    expect(sut).toBe('12****78');
  });

  it('masks a tiny value completely', () => {
    const sut = maskIdNumber('123');
    expect(sut).toBe('***');
  });

  it('never reveals more than 8 characters of anything', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (value) => {
        const sut = maskIdNumber(value);
        expect(revealed(sut)).toBeLessThanOrEqual(8);
      }),
    );
  });

  it('never reveals more than half of anything', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const sut = maskIdNumber(value);
        expect(revealed(sut) * 2).toBeLessThanOrEqual(Array.from(sut).length);
      }),
    );
  });
});

describe('maskName', () => {
  it('keeps the surname of a two-character name', () => {
    const sut = maskName('张三');
    expect(sut).toBe('张*');
  });

  it('keeps only the first character of a compound surname', () => {
    const sut = maskName('欧阳娜娜');
    expect(sut).toBe('欧***');
  });

  it('masks a one-character name completely', () => {
    const sut = maskName('张');
    expect(sut).toBe('*');
  });

  it('treats a supplementary-plane character as one character', () => {
    const sut = maskName('𠀀三');
    expect(sut).toBe('𠀀*');
  });

  it('never reveals more than one character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (value) => {
        const sut = maskName(value);
        expect(revealed(sut)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
