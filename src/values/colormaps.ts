import { rgb } from "d3-color";
import * as chromatic from "d3-scale-chromatic";
import { BadInputError } from "../hierarchy/errors.js";

/**
 * Colormaps by matplotlib's names, from d3-scale-chromatic's tables (viridis and its family are
 * matplotlib's own). A `_r` suffix reverses one; `gray` runs black to white as matplotlib's does.
 */
const MAPS: Record<string, (t: number) => string> = {
  viridis: chromatic.interpolateViridis,
  magma: chromatic.interpolateMagma,
  inferno: chromatic.interpolateInferno,
  plasma: chromatic.interpolatePlasma,
  cividis: chromatic.interpolateCividis,
  turbo: chromatic.interpolateTurbo,
  gray: (t) => chromatic.interpolateGreys(1 - t),
  greys: chromatic.interpolateGreys,
  blues: chromatic.interpolateBlues,
  reds: chromatic.interpolateReds,
  greens: chromatic.interpolateGreens,
  rdbu: chromatic.interpolateRdBu,
  rdylbu: chromatic.interpolateRdYlBu,
  brbg: chromatic.interpolateBrBG,
  spectral: chromatic.interpolateSpectral,
  ylgnbu: chromatic.interpolateYlGnBu,
};

export const COLORMAPS = Object.keys(MAPS);

/** 256 RGB entries of a named colormap. BAD_USER_INPUT for a name it does not know. */
export function colormapTable(name: string): Uint8Array {
  const lower = name.toLowerCase();
  const reversed = lower.endsWith("_r");
  const interpolate = MAPS[reversed ? lower.slice(0, -2) : lower];
  if (!interpolate) {
    throw new BadInputError(
      `unknown colormap ${JSON.stringify(name)}; known: ${COLORMAPS.join(", ")} (add _r to reverse)`,
      {
        argument: "colormap",
      },
    );
  }
  const table = new Uint8Array(256 * 3);
  for (let k = 0; k < 256; k++) {
    const color = rgb(interpolate(reversed ? 1 - k / 255 : k / 255));
    table.set([Math.round(color.r), Math.round(color.g), Math.round(color.b)], k * 3);
  }
  return table;
}
