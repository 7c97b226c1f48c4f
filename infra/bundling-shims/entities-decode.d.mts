export { decodeHTML, decodeHTMLStrict } from 'entities';
