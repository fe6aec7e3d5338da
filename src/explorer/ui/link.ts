import type { ComponentChildren } from "preact";
import { followLink, type Route, routeHref } from "../route.js";
import { html } from "./html.js";

/** A link to a view of the page: a real href (open in a new tab works), navigated in place on a plain click. */
export function Link({
  route,
  children,
  ...rest
}: {
  route: Route;
  children: ComponentChildren;
  [attr: string]: unknown;
}) {
  return html`<a href=${routeHref(route)} onClick=${(e: MouseEvent) => followLink(e, route)} ...${rest}>${children}</a>`;
}
