import { render } from 'preact';
import './fonts.css';
import './base.css';
import { Root } from './root';

render(<Root />, document.getElementById('app')!);
