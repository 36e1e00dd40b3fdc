import { mount } from 'svelte';
import App from './App.svelte';
import { createAppContext } from './lib/app-context.js';
import './app.css';

const ctx = createAppContext();
document.documentElement.lang = ctx.i18n.lang;

export default mount(App, { target: document.getElementById('app')!, props: { ctx } });
