import { render } from 'preact';
import '@fontsource/vazirmatn/400.css';
import '@fontsource/vazirmatn/500.css';
import '@fontsource/vazirmatn/700.css';
import './base.css';
import { Root } from './root';

render(<Root />, document.getElementById('app')!);
