// Entry point: registers the elements; index.html holds <sw-app>.
import "./elements/sw-app.js";
