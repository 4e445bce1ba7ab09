package demo

import "github.com/opentill/opentill/pos/catalog"

// department is a vocabulary the generator builds product names from.
type department struct {
	index      int // position in departments: picks the GS1 prefix 401+index
	name       string
	tax        string
	weight     int     // relative share of the catalog
	weighed    float64 // share of its items sold loose by weight
	variants   bool    // items come in colours and sizes
	brands     []string
	attributes []string
	categories []category
}

type category struct {
	name     string
	products []string
	sizes    []string
	prices   []int64 // fixed price of each size, if set
	lo, hi   int64   // price range in cents
	tax      string
	flags    catalog.Flags
}

type colour struct{ code, name string }

var colours = []colour{
	{"BLK", "Black"}, {"WHT", "White"}, {"NVY", "Navy"}, {"RED", "Red"}, {"GRN", "Green"},
	{"GRY", "Grey"}, {"BEI", "Beige"}, {"BLU", "Blue"},
}

var clothingSizes = [][]string{
	{"S", "M", "L"}, {"S", "M", "L", "XL"}, {"XS", "S", "M", "L", "XL"}, {"M", "L"}, {"38", "40", "42"}, {"One Size"},
}

var looseWords = []string{"loose", "per kg", "from the counter", "lose"}

var organicWords = []string{"Organic", "Bio", "Regional"}

var departments = []department{
	{
		name: "Bakery", tax: TaxReduced, weight: 8,
		brands:     []string{"Bäckerei Sonnenschein", "Le Fournil", "La Panadería", "Stadtbäcker", "Golden Crust"},
		attributes: []string{"Organic", "Wholegrain", "Rustic", "Mini", "Fresh", "Vollkorn"},
		categories: []category{
			{name: "Bread", products: []string{"Sourdough Bread", "Roggenbrot", "Vollkornbrot", "Pain de Campagne", "Baguette Tradition", "Ciabatta", "Pan de Pueblo", "Dinkelbrot", "Rye Bread", "Toast Bread", "Bauernbrot", "Pumpernickel"}, sizes: []string{"500 g", "750 g", "1 kg", "400 g"}, lo: 150, hi: 499},
			{name: "Pastry", products: []string{"Croissant", "Pain au chocolat", "Brioche", "Apfelstrudel", "Berliner", "Franzbrötchen", "Ensaïmada", "Palmier", "Chausson aux pommes", "Zimtschnecke", "Madeleines", "Churros"}, sizes: []string{"", "2 pcs", "4 pcs", "6 pcs"}, lo: 59, hi: 399},
			{name: "Rolls", products: []string{"Kaiser Rolls", "Laugenbrötchen", "Mehrkornbrötchen", "Petits pains", "Bocadillo Rolls", "Burger Buns", "Bagels"}, sizes: []string{"4 pcs", "6 pcs", "9 pcs"}, lo: 99, hi: 349},
			{name: "Cakes", products: []string{"Käsekuchen", "Tarte aux pommes", "Tarta de Santiago", "Schwarzwälder Kirschtorte", "Marble Cake", "Bienenstich", "Crème brûlée Tart"}, sizes: []string{"", "Slice", "Whole"}, lo: 199, hi: 1899},
		},
	},
	{
		name: "Dairy", tax: TaxReduced, weight: 12,
		brands:     []string{"Alpenmilch", "Laiterie du Val", "La Vaquera", "Green Meadow", "Hofgut Weide", "Fromagerie Dupont"},
		attributes: []string{"Organic", "Low-fat", "Lactose-free", "Bio", "Extra Creamy", "Weidemilch"},
		categories: []category{
			{name: "Milk", products: []string{"Whole Milk 3.5 %", "Semi-skimmed Milk 1.5 %", "Frische Vollmilch", "Lait demi-écrémé", "Leche entera", "Oat Drink", "Buttermilch", "Kefir"}, sizes: []string{"1 L", "0.5 L", "1.5 L"}, lo: 79, hi: 249},
			{name: "Cheese", products: []string{"Gouda", "Emmentaler Käse", "Camembert de Normandie", "Comté", "Manchego", "Queso fresco", "Bergkäse", "Brie", "Roquefort", "Mozzarella", "Parmigiano Reggiano", "Tilsiter", "Reblochon", "Feta"}, sizes: []string{"150 g", "200 g", "250 g", "400 g"}, lo: 149, hi: 699},
			{name: "Yoghurt", products: []string{"Natural Yoghurt", "Greek Yoghurt", "Joghurt mit Erdbeeren", "Yaourt à la vanille", "Yogur natural", "Skyr", "Quark 20 %", "Fromage blanc"}, sizes: []string{"150 g", "500 g", "4 x 125 g", "1 kg"}, lo: 49, hi: 349},
			{name: "Cream & Butter", products: []string{"Crème fraîche", "Schlagsahne", "Sour Cream", "Crème épaisse", "Nata para montar", "Butter", "Beurre demi-sel", "Kräuterbutter", "Mascarpone"}, sizes: []string{"125 g", "200 g", "250 g", "500 ml"}, lo: 89, hi: 399},
			{name: "Eggs", products: []string{"Free-range Eggs", "Bio-Eier", "Œufs plein air", "Huevos camperos"}, sizes: []string{"6 pcs", "10 pcs", "12 pcs"}, lo: 199, hi: 449},
		},
	},
	{
		name: "Produce", tax: TaxReduced, weight: 10, weighed: 0.05,
		brands:     []string{"Sunny Fields", "Huerta del Sol", "Jardin de Provence", "Obsthof Müller"},
		attributes: []string{"Organic", "Regional", "Bio", "Fairtrade", "Extra Sweet"},
		categories: []category{
			{name: "Fruit", products: []string{"Apples Braeburn", "Äpfel Elstar", "Pommes Golden", "Bananas", "Pears Conference", "Oranges", "Naranjas de Valencia", "Clementines", "Kiwis", "Mangos", "Grapes", "Erdbeeren", "Fraises Gariguette", "Lemons", "Ananas", "Avocados", "Blueberries", "Cerises"}, sizes: []string{"1 kg", "500 g", "250 g", "Net 2 kg", "Each"}, lo: 99, hi: 499},
			{name: "Vegetables", products: []string{"Tomatoes", "Tomates cerises", "Cucumber", "Gurken", "Paprika Mix", "Jalapeño Peppers", "Pimientos de Padrón", "Carrots", "Karotten", "Zucchini", "Courgettes", "Aubergines", "Broccoli", "Blumenkohl", "Champignons", "Onions", "Zwiebeln", "Knoblauch", "Potatoes", "Kartoffeln festkochend", "Pommes de terre", "Lauch", "Spinat", "Salade Batavia", "Rucola", "Spargel"}, sizes: []string{"1 kg", "500 g", "250 g", "Each", "2.5 kg"}, lo: 69, hi: 449},
			{name: "Herbs", products: []string{"Basil", "Basilikum", "Persil plat", "Cilantro", "Schnittlauch", "Thym", "Rosemary"}, sizes: []string{"Pot", "Bunch", "25 g"}, lo: 79, hi: 249},
		},
	},
	{
		name: "Meat & Fish", tax: TaxReduced, weight: 8, weighed: 0.02,
		brands:     []string{"Landmetzgerei Huber", "Boucherie Martin", "Carnicería López", "Nordsee Fang", "Prairie Farms"},
		attributes: []string{"Organic", "Free-range", "Bio", "Marinated", "Fresh"},
		categories: []category{
			{name: "Meat", products: []string{"Chicken Breast Fillets", "Hähnchenschenkel", "Minced Beef", "Rinderhackfleisch", "Schweineschnitzel", "Entrecôte", "Côte de bœuf", "Lamb Chops", "Bratwurst", "Nürnberger Rostbratwürstchen", "Merguez", "Chorizo fresco", "Pork Belly"}, sizes: []string{"300 g", "400 g", "500 g", "1 kg", "6 pcs"}, lo: 249, hi: 1499},
			{name: "Fish", products: []string{"Salmon Fillet", "Lachsfilet", "Cod Fillet", "Kabeljau", "Filet de cabillaud", "Merluza", "Prawns", "Gambas", "Moules de bouchot", "Matjes", "Räucherlachs", "Thunfischsteak"}, sizes: []string{"200 g", "250 g", "400 g", "1 kg"}, lo: 299, hi: 1999},
			{name: "Cold Cuts", products: []string{"Jamón Serrano", "Jamón Ibérico", "Prosciutto", "Jambon de Paris", "Salami Milano", "Leberwurst", "Fleischwurst", "Pâté de campagne", "Schwarzwälder Schinken", "Saucisson sec"}, sizes: []string{"80 g", "100 g", "150 g", "200 g"}, lo: 149, hi: 799},
		},
	},
	{
		name: "Deli", tax: TaxReduced, weight: 4, weighed: 0.08,
		brands:     []string{"Feinkost Krause", "Traiteur Lefèvre", "Delicias Andaluzas"},
		attributes: []string{"Homemade", "Hausgemacht", "Fait maison", "Spicy"},
		categories: []category{
			{name: "Salads", products: []string{"Kartoffelsalat", "Coleslaw", "Taboulé", "Ensaladilla rusa", "Fleischsalat", "Couscous Salad", "Heringssalat"}, sizes: []string{"200 g", "400 g"}, lo: 149, hi: 449},
			{name: "Antipasti", products: []string{"Olives Kalamata", "Aceitunas rellenas", "Grilled Peppers", "Sun-dried Tomatoes", "Hummus", "Tapenade", "Tzatziki", "Guacamole", "Boquerones"}, sizes: []string{"150 g", "200 g", "250 g"}, lo: 199, hi: 549},
			{name: "Cheese counter", products: []string{"Gouda jung", "Gouda alt", "Appenzeller", "Tomme de Savoie", "Queso Manchego curado", "Gruyère", "Allgäuer Bergkäse"}, sizes: []string{"100 g", "200 g"}, lo: 199, hi: 599},
		},
	},
	{
		name: "Pantry", tax: TaxReduced, weight: 15,
		brands:     []string{"Goldene Mühle", "Maison Girard", "La Española", "Pantry Essentials", "Nonna Lucia", "Spice Route"},
		attributes: []string{"Organic", "Bio", "Wholegrain", "Gluten-free", "Family Pack", "Premium"},
		categories: []category{
			{name: "Pasta & Rice", products: []string{"Spaghetti", "Penne Rigate", "Fusilli", "Spätzle", "Tagliatelle", "Basmati Rice", "Arroz bomba", "Risotto Rice", "Couscous", "Eiernudeln", "Lasagne Sheets"}, sizes: []string{"500 g", "1 kg", "250 g"}, lo: 89, hi: 399},
			{name: "Baking", products: []string{"Wheat Flour Type 405", "Weizenmehl", "Farine de blé T55", "Harina de trigo", "Sugar", "Puderzucker", "Cassonade", "Baking Powder", "Vanillezucker", "Levure chimique"}, sizes: []string{"1 kg", "500 g", "5 x 15 g"}, lo: 49, hi: 299},
			{name: "Coffee & Tea", products: []string{"Espresso Beans", "Café moulu", "Filterkaffee", "Café molido natural", "Green Tea", "Earl Grey", "Pfefferminztee", "Tisane verveine", "Rooibos", "Instant Coffee"}, sizes: []string{"250 g", "500 g", "1 kg", "20 bags"}, lo: 149, hi: 1599},
			{name: "Canned & Jars", products: []string{"Chopped Tomatoes", "Tomate triturada", "Sauerkraut", "Rotkohl", "Petits pois", "Garbanzos", "Kidney Beans", "Sweetcorn", "Thon à l'huile", "Atún en aceite de oliva", "Cornichons", "Gewürzgurken", "Pesto alla Genovese"}, sizes: []string{"400 g", "720 ml", "190 g", "3 x 80 g"}, lo: 59, hi: 399},
			{name: "Oils & Sauces", products: []string{"Extra Virgin Olive Oil", "Aceite de oliva virgen extra", "Huile de tournesol", "Rapsöl", "Balsamic Vinegar", "Dijon Mustard", "Moutarde à l'ancienne", "Mittelscharfer Senf", "Mayonnaise", "Ketchup", "Salsa picante", "Sojasauce", "Alioli"}, sizes: []string{"250 ml", "500 ml", "750 ml", "1 L"}, lo: 99, hi: 1299},
			{name: "Breakfast", products: []string{"Müsli", "Cornflakes", "Porridge Oats", "Granola", "Confiture de fraises", "Erdbeermarmelade", "Honig", "Miel de lavande", "Nuss-Nougat-Creme", "Crema de cacao"}, sizes: []string{"375 g", "500 g", "750 g"}, lo: 149, hi: 599},
		},
	},
	{
		name: "Sweets & Snacks", tax: TaxReduced, weight: 10,
		brands:     []string{"Chocolaterie Belle", "Schokoladen Manufaktur", "Dulces Valencia", "Crunchy Co.", "Kekswerk"},
		attributes: []string{"Organic", "Vegan", "Sugar-free", "Fairtrade", "Family Pack", "Mini"},
		categories: []category{
			{name: "Chocolate", products: []string{"Milk Chocolate", "Dark Chocolate 70 %", "Vollmilchschokolade", "Zartbitterschokolade", "Chocolat noir 85 %", "Chocolate con almendras", "White Chocolate", "Chocolate Hazelnut Bar", "Pralinen", "Truffes au chocolat", "Chocolate Coins"}, sizes: []string{"100 g", "200 g", "250 g", "40 g"}, lo: 89, hi: 799},
			{name: "Biscuits", products: []string{"Chocolate Chip Cookies", "Butterkekse", "Spekulatius", "Sablés bretons", "Galletas María", "Digestive Biscuits", "Lebkuchen", "Macarons", "Shortbread"}, sizes: []string{"150 g", "200 g", "400 g"}, lo: 99, hi: 599},
			{name: "Crisps & Nuts", products: []string{"Potato Crisps Salted", "Paprika Chips", "Tortilla Chips", "Patatas fritas al punto de sal", "Salted Peanuts", "Cashews", "Almendras tostadas", "Salzbrezeln", "Popcorn", "Mixed Nuts"}, sizes: []string{"125 g", "150 g", "200 g", "300 g"}, lo: 99, hi: 499},
			{name: "Sweets", products: []string{"Gummibärchen", "Fruchtgummi", "Lakritz", "Bonbons", "Turrón de Jijona", "Nougat de Montélimar", "Marshmallows", "Chewing Gum", "Calissons d'Aix"}, sizes: []string{"100 g", "200 g", "300 g"}, lo: 79, hi: 699},
		},
	},
	{
		name: "Beverages", tax: TaxStandard, weight: 12,
		brands:     []string{"Quellbrunn", "Source des Alpes", "Bodegas Ribera", "Brauhaus Zum Löwen", "Fresh Squeeze", "Château Belleville"},
		attributes: []string{"Organic", "Light", "Zero", "Bio", "Premium"},
		categories: []category{
			{name: "Water", products: []string{"Sparkling Mineral Water", "Still Water", "Mineralwasser Medium", "Eau gazeuse", "Agua mineral sin gas"}, sizes: []string{"0.5 L", "1 L", "1.5 L", "6 x 1.5 L"}, lo: 29, hi: 449},
			{name: "Juice", products: []string{"Orange Juice", "Apfelsaft naturtrüb", "Jus de pomme", "Zumo de naranja", "Multivitamin Juice", "Tomato Juice", "Rhabarberschorle"}, sizes: []string{"0.33 L", "1 L", "1.5 L"}, lo: 89, hi: 399},
			{name: "Soft drinks", products: []string{"Cola", "Lemonade", "Zitronenlimonade", "Limonade artisanale", "Gaseosa", "Ginger Ale", "Iced Tea Peach", "Energy Drink", "Tonic Water", "Spezi"}, sizes: []string{"0.33 L", "0.5 L", "1 L", "1.5 L"}, lo: 59, hi: 299},
			{name: "Beer", products: []string{"Pilsner", "Helles", "Weißbier", "Kölsch", "Bière blonde", "Cerveza lager", "IPA", "Alkoholfreies Bier", "Radler"}, sizes: []string{"0.33 L", "0.5 L", "6 x 0.33 L", "20 x 0.5 L"}, lo: 79, hi: 1999},
			{name: "Wine", products: []string{"Rioja Reserva", "Ribera del Duero Crianza", "Bordeaux Rouge", "Côtes du Rhône", "Chablis", "Riesling trocken", "Grauburgunder", "Rosé de Provence", "Cava Brut", "Crémant d'Alsace", "Champagne Brut", "Albariño", "Spätburgunder"}, sizes: []string{"0.75 L", "1 L", "0.375 L"}, lo: 399, hi: 3999},
			{name: "Spirits", products: []string{"Gin", "Vodka", "Rum añejo", "Cognac VS", "Calvados", "Obstler", "Kräuterlikör", "Whisky Single Malt", "Brandy de Jerez"}, sizes: []string{"0.7 L", "0.35 L", "0.04 L"}, lo: 299, hi: 4999},
		},
	},
	{
		name: "Household", tax: TaxStandard, weight: 8,
		brands:     []string{"CleanHome", "Maison Propre", "Hogar Brillante", "Blitzblank", "EcoNature"},
		attributes: []string{"Eco", "Sensitive", "Value Pack", "Fresh Scent", "Lemon"},
		categories: []category{
			{name: "Cleaning", products: []string{"Washing-up Liquid", "All-purpose Cleaner", "Spülmittel", "Liquide vaisselle", "Lavavajillas", "Glass Cleaner", "Bathroom Cleaner", "Dishwasher Tablets", "Laundry Detergent", "Weichspüler", "Lessive liquide"}, sizes: []string{"500 ml", "750 ml", "1 L", "40 pcs", "20 washes"}, lo: 99, hi: 1299},
			{name: "Paper", products: []string{"Kitchen Paper Towels", "Toilet Tissue", "Taschentücher", "Essuie-tout", "Servilletas", "Napkins"}, sizes: []string{"4 Rolls", "8 Rolls", "10 x 10", "50 pcs"}, lo: 129, hi: 699},
			{name: "Electrical", products: []string{"AA Batteries", "AAA Batteries", "LED Bulb E27", "Glühbirne", "Extension Lead", "USB-C Cable", "Phone Charger"}, sizes: []string{"2-Pack", "4-Pack", "8-Pack", "1 m"}, lo: 199, hi: 2499},
			{name: "Kitchen", products: []string{"Aluminium Foil", "Frischhaltefolie", "Baking Paper", "Freezer Bags", "Sponges", "Bin Bags", "Candles", "Matches"}, sizes: []string{"10 m", "30 m", "20 pcs", "3 pcs"}, lo: 99, hi: 499},
		},
	},
	{
		name: "Health & Beauty", tax: TaxStandard, weight: 6,
		brands:     []string{"Belle Peau", "Naturkosmetik Rosenhain", "Mediterránea", "PureCare"},
		attributes: []string{"Sensitive", "For Men", "Organic", "Fragrance-free", "Travel Size"},
		categories: []category{
			{name: "Body care", products: []string{"Shower Gel", "Duschgel", "Gel douche", "Gel de baño", "Hand Cream", "Body Lotion", "Crème hydratante", "Sonnencreme LSF 30", "Deodorant"}, sizes: []string{"50 ml", "250 ml", "400 ml"}, lo: 99, hi: 1299},
			{name: "Hair care", products: []string{"Shampoo", "Conditioner", "Champú anticaspa", "Haarspülung", "Hair Gel", "Après-shampooing"}, sizes: []string{"250 ml", "300 ml", "500 ml"}, lo: 149, hi: 899},
			{name: "Oral care", products: []string{"Toothpaste", "Zahnpasta", "Dentifrice", "Toothbrush Medium", "Mouthwash", "Dental Floss"}, sizes: []string{"75 ml", "500 ml", "2 pcs", "50 m"}, lo: 99, hi: 699},
		},
	},
	{
		name: "Toys", tax: TaxStandard, weight: 4,
		brands:     []string{"Spielwerk", "Jouets Lumière", "Juguetes Alegría", "HappyKids"},
		attributes: []string{"Deluxe", "Mini", "Classic", "Wooden"},
		categories: []category{
			{name: "Plush", products: []string{"Teddy Bear", "Plüschhase", "Peluche lapin", "Unicorn", "Dinosaur Plush"}, sizes: []string{"20 cm", "30 cm", "50 cm"}, lo: 799, hi: 3999},
			{name: "Games", products: []string{"Puzzle 1000 Teile", "Card Game", "Jeu de société", "Memory", "Chess Set", "Würfelspiel", "Dominó"}, sizes: []string{"", "Travel Edition"}, lo: 499, hi: 3999},
			{name: "Outdoor", products: []string{"Football", "Bubble Wand", "Kite", "Sandkasten-Set", "Water Pistol", "Frisbee"}, sizes: []string{"", "Size 5", "Large"}, lo: 199, hi: 2499},
			{name: "Building", products: []string{"Building Blocks", "Holzeisenbahn", "Marble Run", "Construction Set"}, sizes: []string{"100 pcs", "250 pcs", "Starter Set"}, lo: 999, hi: 7999},
		},
	},
	{
		name: "Clothing", tax: TaxStandard, weight: 1, variants: true,
		brands: []string{"Basic", "Urban Line", "Modehaus Weber", "Prêt-à-porter Lumière", "Moda Sevilla"},
		categories: []category{
			{name: "T-Shirts", products: []string{"T-Shirt", "V-Neck Tee", "Polo Shirt", "Longsleeve"}, lo: 799, hi: 2999},
			{name: "Knitwear", products: []string{"Pullover", "Strickjacke", "Cardigan", "Hoodie", "Sweatshirt"}, lo: 1999, hi: 5999},
			{name: "Trousers", products: []string{"Jeans Slim Fit", "Chinos", "Jogginghose", "Pantalon de lin", "Shorts"}, lo: 1999, hi: 6999},
			{name: "Accessories", products: []string{"Socks 3-Pack", "Beanie", "Schal", "Baseball Cap", "Gloves"}, lo: 499, hi: 2499},
		},
	},
	{
		name: "Press", tax: TaxReduced, weight: 1,
		brands: []string{"Weekly", "Monthly"},
		categories: []category{
			{name: "Magazines", products: []string{"Kochen & Genießen", "Le Monde Diplomatique", "Cuisine Actuelle", "¡Hola!", "Garden Life", "Auto Motor Sport", "Science Today"}, lo: 199, hi: 899,
				flags: catalog.Flags{NoDiscount: true, NotReturnable: true}},
		},
	},
	{
		name: "Services", tax: TaxZero, weight: 1,
		categories: []category{
			{name: "Vouchers", products: []string{"Phone Top-up", "Streaming Voucher", "Game Card", "Transit Day Ticket"},
				sizes: []string{"15 €", "25 €", "50 €"}, prices: []int64{1500, 2500, 5000},
				flags: catalog.Flags{NoDiscount: true, NotReturnable: true, NoOverride: true}},
			{name: "Services", products: []string{"Key Cutting", "Photo Prints", "Dry Cleaning", "Shoe Repair"}, lo: 0, hi: 0, tax: TaxStandard,
				flags: catalog.Flags{MustKeyInPrice: true, NoDiscount: true, NotReturnable: true}},
		},
	},
}

var totalWeight = func() int {
	t := 0
	for i := range departments {
		departments[i].index = i
		t += departments[i].weight
	}
	return t
}()
