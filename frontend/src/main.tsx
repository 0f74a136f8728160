import { render } from "preact";
import { App } from "./app";
import "./styles.css";

const root = document.getElementById("app")!;
// The static shell from index.html goes in the same task the app renders: no blank frame.
root.replaceChildren();
render(<App />, root);
