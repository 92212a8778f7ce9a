/**
 * Stands in for `@napi-rs/canvas` in the analyzer bundle. pdf.js (Node build) loads that binding at import only to
 * install DOMMatrix, ImageData and Path2D globals, which text extraction constructs but never draws with; rendering
 * (the one use of a real canvas) is not something trustgate does, so createCanvas refuses clearly.
 */

/** A 2-D affine matrix [a b c d e f], the subset of DOMMatrix pdf.js uses. */
export class DOMMatrix {
  a = 1;
  b = 0;
  c = 0;
  d = 1;
  e = 0;
  f = 0;

  constructor(init?: ArrayLike<number> | { a: number; b: number; c: number; d: number; e: number; f: number }) {
    if (init && 'length' in init) {
      if (init.length !== 6) throw new TypeError('DOMMatrix stand-in: only 2-D matrices (6 values) are supported');
      this.set(Array.from(init) as [number, number, number, number, number, number]);
    } else if (init) {
      ({ a: this.a, b: this.b, c: this.c, d: this.d, e: this.e, f: this.f } = init);
    }
  }

  get is2D(): boolean {
    return true;
  }

  get isIdentity(): boolean {
    return this.a === 1 && this.b === 0 && this.c === 0 && this.d === 1 && this.e === 0 && this.f === 0;
  }

  private set(m: [number, number, number, number, number, number]): this {
    [this.a, this.b, this.c, this.d, this.e, this.f] = m;
    return this;
  }

  /** this = this × other */
  multiplySelf(o: DOMMatrix): this {
    return this.set([
      this.a * o.a + this.c * o.b,
      this.b * o.a + this.d * o.b,
      this.a * o.c + this.c * o.d,
      this.b * o.c + this.d * o.d,
      this.a * o.e + this.c * o.f + this.e,
      this.b * o.e + this.d * o.f + this.f,
    ]);
  }

  /** this = other × this */
  preMultiplySelf(o: DOMMatrix): this {
    const copy = new DOMMatrix(o);
    copy.multiplySelf(this);
    return this.set([copy.a, copy.b, copy.c, copy.d, copy.e, copy.f]);
  }

  multiply(o: DOMMatrix): DOMMatrix {
    return new DOMMatrix(this).multiplySelf(o);
  }

  translateSelf(tx = 0, ty = 0): this {
    return this.multiplySelf(new DOMMatrix([1, 0, 0, 1, tx, ty]));
  }

  translate(tx = 0, ty = 0): DOMMatrix {
    return new DOMMatrix(this).translateSelf(tx, ty);
  }

  scaleSelf(sx = 1, sy = sx): this {
    return this.multiplySelf(new DOMMatrix([sx, 0, 0, sy, 0, 0]));
  }

  scale(sx = 1, sy = sx): DOMMatrix {
    return new DOMMatrix(this).scaleSelf(sx, sy);
  }

  invertSelf(): this {
    const det = this.a * this.d - this.b * this.c;
    if (det === 0) return this.set([NaN, NaN, NaN, NaN, NaN, NaN]);
    return this.set([this.d / det, -this.b / det, -this.c / det, this.a / det, (this.c * this.f - this.d * this.e) / det, (this.b * this.e - this.a * this.f) / det]);
  }

  inverse(): DOMMatrix {
    return new DOMMatrix(this).invertSelf();
  }

  transformPoint(p: { x?: number; y?: number } = {}): { x: number; y: number; z: number; w: number } {
    const x = p.x ?? 0;
    const y = p.y ?? 0;
    return { x: this.a * x + this.c * y + this.e, y: this.b * x + this.d * y + this.f, z: 0, w: 1 };
  }
}

/** Pixel data holder; pdf.js creates these only for images it decodes for rendering. */
export class ImageData {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;

  constructor(dataOrWidth: Uint8ClampedArray | number, widthOrHeight: number, height?: number) {
    if (typeof dataOrWidth === 'number') {
      this.width = dataOrWidth;
      this.height = widthOrHeight;
      this.data = new Uint8ClampedArray(dataOrWidth * widthOrHeight * 4);
    } else {
      this.data = dataOrWidth;
      this.width = widthOrHeight;
      this.height = height ?? dataOrWidth.length / 4 / widthOrHeight;
    }
  }
}

/** A path that records nothing: paths matter only when drawing. */
export class Path2D {
  addPath(): void {}
  closePath(): void {}
  moveTo(): void {}
  lineTo(): void {}
  bezierCurveTo(): void {}
  quadraticCurveTo(): void {}
  rect(): void {}
}

export function createCanvas(): never {
  throw new Error('Rendering PDFs is not supported in this bundle (no canvas binding); text extraction does not need one');
}
