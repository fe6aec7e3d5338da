import "./styles.css";
import { render } from "preact";
import { App } from "./app.js";
import { TreeModel } from "./tree/model.js";
import { html } from "./ui/html.js";

const model = new TreeModel();
void model.loadCatalogs();
render(html`<${App} model=${model} />`, document.getElementById("app")!);
