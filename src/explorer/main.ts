import "./styles.css";
import { render } from "preact";
import { detectCapabilities } from "./api/capabilities.js";
import { App } from "./app.js";
import { TreeModel } from "./tree/model.js";
import { html } from "./ui/html.js";

// Both first questions go out before anything renders.
const model = new TreeModel();
void model.loadCatalogs();
const capabilities = detectCapabilities();
render(html`<${App} model=${model} capabilities=${capabilities} />`, document.getElementById("app")!);
