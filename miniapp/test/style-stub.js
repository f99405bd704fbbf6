// Stylesheets mean nothing to jsdom; class names stay as written.
module.exports = {};
